using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// Heat-map frames to many live clients on loopback. The real host runs as a child process (so its CPU time is its
/// own) on a synthetic area of CELLS cells; CLIENTS SignalR clients in this process subscribe to the area; each round
/// writes a slot in which every cell changed into the host's store and times the frame's arrival at every client.
/// Reports the frame's size, the delivery latency (store write returned to frame received) at p50/p99 over every
/// client and frame, and the host's CPU time per frame.
/// </summary>
internal static class LiveFrames
{
    public static async Task RunAsync(int clients, int cells, int frames)
    {
        var side = (int)Math.Ceiling(Math.Sqrt(cells));
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-frames-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        BenchProcesses.SquareDeployment(dir, side);
        var port = FreePort();
        using var host = await StartHostAsync(dir, port);

        // The clients, each subscribed to the whole area, recording when each frame arrives.
        var arrivals = new ConcurrentDictionary<long, ConcurrentBag<long>>();
        long frameBytes = 0;
        var connections = new List<HubConnection>();
        Console.Error.Write($"connecting {clients} clients");
        for (var i = 0; i < clients; i++)
        {
            var c = new HubConnectionBuilder().WithUrl($"http://127.0.0.1:{port}/hubs/live").Build();
            c.ServerTimeout = TimeSpan.FromMinutes(5);
            var first = i == 0;
            c.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f =>
            {
                arrivals.GetOrAdd(f.SlotMs, _ => []).Add(Stopwatch.GetTimestamp());
                if (first) Interlocked.Exchange(ref frameBytes, JsonSerializer.SerializeToUtf8Bytes(f, JsonSerializerOptions.Web).Length);
            });
            await c.StartAsync();
            await c.InvokeAsync("Subscribe", "bench", null);
            connections.Add(c);
            if (i % 100 == 99) Console.Error.Write($"\rconnecting {i + 1}/{clients} clients");
        }

        Console.Error.WriteLine();
        var counts = (await Stores.OpenAsync(new StoreOptions { DataDirectory = Path.Combine(dir, "store") }, null)).Counts;
        using var lifetime = counts as IDisposable;
        const long slot = 300_000;
        var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slot * slot) - ((frames + 2) * slot);
        var latencies = new List<double>();
        var cpuBefore = host.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var f = 0; f < frames + 1; f++)
        {
            var s = start + (f * slot);
            // Every cell changes from one slot to the next.
            var rows = Enumerable.Range(0, cells).Select(c => new CountRecord(s, "people", c, 20 + ((c * 7 + f * 13) % 400))).ToList();
            var written = Stopwatch.GetTimestamp();
            await counts.WriteAsync(new CountBatch("bench", "bench", [s], rows));
            var waited = Stopwatch.StartNew();
            while ((!arrivals.TryGetValue(s, out var got) || got.Count < clients) && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(5);
            var bag = arrivals.GetValueOrDefault(s) ?? [];
            if (bag.Count < clients) throw new InvalidOperationException($"frame {f}: {bag.Count} of {clients} clients got it within 60 s");
            // The first frame is whole and warms everything up; the rest are timed.
            if (f > 0) latencies.AddRange(bag.Select(a => Stopwatch.GetElapsedTime(written, a).TotalMilliseconds));
            Console.Error.Write($"\rframe {f}/{frames}");
            if (f == 0)
            {
                cpuBefore = host.TotalProcessorTime;
                wall.Restart();
            }
        }

        host.Refresh();
        var cpu = (host.TotalProcessorTime - cpuBefore).TotalSeconds;
        var seconds = wall.Elapsed.TotalSeconds;
        Console.Error.WriteLine();
        foreach (var c in connections) await c.DisposeAsync();
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        BenchProcesses.Remove(dir);

        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{clients} clients, {cells} cells every one changed, {frames} frames: frame {frameBytes / 1024.0:0} KiB of JSON; store write to frame received p50 {P(0.5):0} ms, p99 {P(0.99):0} ms, max {sorted[^1]:0} ms (store poll 100 ms); host CPU {cpu / frames:0.00} core-s per frame, {100 * cpu / seconds:0}% of one core over {seconds:0.0} s"));
    }

    // The host as a child process on the port, its output passed on; once it answers /alive.
    private static async Task<Process> StartHostAsync(string dir, int port)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll");
        var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                exe, "--urls", $"http://127.0.0.1:{port}", "--CrowdWatch:Deployment", Path.Combine(dir, "deployment.json"),
                "--Store:DataDirectory", Path.Combine(dir, "store"), "--Replay:Enabled", "false", "--Forecast:Enabled", "false", "--Alerts:Enabled", "false",
                "--Live:SafetyPollSeconds", "0.1", "--Logging:LogLevel:Default", "Warning", "--Api:RequestsPerMinute", "1000000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"host: {line}"); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        // The host goes with this process, however it ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(host);
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Stop(host);
        using var http = new HttpClient();
        var up = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/alive")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (up.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }

        return host;
    }

    internal static void Stop(Process host)
    {
        try
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
