using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// From counts arriving to a webhook receiving the warning, end to end on loopback: the real host (embedded store,
/// alert service polling the store, journal, outbox) and a real HTTP receiver. Each round writes a slot that takes
/// a zone to Red (the receiver should hear "raised"), then a quiet slot (it should hear "resolved"); the time from
/// the write's return to the webhook's arrival is recorded for both.
/// </summary>
internal static class AlertLatency
{
    public static async Task RunAsync(int rounds, int pollMs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-latency-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "deployment.json"), """
            { "areas": [ { "name": "bench", "centre": [106.5790, 29.5630], "widthM": 1000, "heightM": 1000, "cellSizeM": 100,
                           "timeZone": "Asia/Shanghai", "slotMinutes": 5, "panelFactor": 1, "k": 1, "zones": "zones.geojson" } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "zones.geojson"), """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"square","capacity":1000,"walkableAreaM2":1000},
             "geometry":{"type":"Polygon","coordinates":[[[106.5775,29.5622],[106.5802,29.5624],[106.5806,29.5641],[106.5781,29.5639],[106.5775,29.5622]]]}}]}
            """);

        var arrivals = new ConcurrentDictionary<string, long>();
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream)) await reader.ReadToEndAsync();
                arrivals.TryAdd(context.Request.Headers["Idempotency-Key"] ?? "", Stopwatch.GetTimestamp());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", Path.Combine(dir, "deployment.json"),
            "--Store:DataDirectory", Path.Combine(dir, "store"), "--Forecast:Enabled", "false", "--Logging:LogLevel:Default", "Warning",
            "--Alerts:PollMilliseconds", pollMs.ToString(CultureInfo.InvariantCulture), "--Alerts:GraceSeconds", "0",
            "--Alerts:Policy:ClearSlots", "1", "--Alerts:Policy:ExpireMinutes", "5000", "--Alerts:Policy:AcknowledgeMinutes", "100000",
            "--Alerts:Recipients:0:Channel", "webhook", "--Alerts:Recipients:0:Address", $"http://127.0.0.1:{port}/hook"]);
        await app.StartAsync();
        var store = app.Services.GetRequiredService<ICountStore>();
        const long slot = 300_000;
        var start = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 86_000_000) / slot * slot) + slot;
        var latencies = new List<double>();
        var seen = 0;
        for (var i = 0; i < 2 * rounds; i++)
        {
            var red = i % 2 == 0;
            var s = start + (i * slot);
            var written = Stopwatch.GetTimestamp();
            await store.WriteAsync(new CountBatch("bench", "bench", [s], []) { ZoneRows = [new ZoneCountRecord(s, "people", "square", red ? 4500 : 100)] });
            var waited = Stopwatch.StartNew();
            while (arrivals.Count <= seen && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(1);
            if (arrivals.Count <= seen) throw new InvalidOperationException($"round {i}: no webhook within 10 s");
            seen = arrivals.Count;
            var arrived = arrivals.Values.Max();
            latencies.Add(Stopwatch.GetElapsedTime(written, arrived).TotalMilliseconds);
            Console.Error.Write($"\r{i + 1}/{2 * rounds}");
        }

        Console.Error.WriteLine();
        await app.StopAsync();
        listener.Stop();
        Directory.Delete(dir, recursive: true);
        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"counts to webhook, {sorted.Length} warnings (raised and resolved), store poll {pollMs} ms: p50 {P(0.5):0} ms, p90 {P(0.9):0} ms, p99 {P(0.99):0} ms, max {sorted[^1]:0} ms"));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
