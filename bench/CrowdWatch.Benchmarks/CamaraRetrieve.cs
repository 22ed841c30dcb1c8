using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// CAMARA <c>/retrieve</c> as a client calls it: the real host (a child process, embedded store) on a 4 km x 4 km grid
/// of 100 m cells with 24 hours of 15-minute counts in every cell; a 2 km x 2 km polygon at precision 7 over the 24
/// hours, asked REQUESTS times one after another after five warm-up requests. Reports p50/p99/max of the answer.
/// </summary>
internal static class CamaraRetrieve
{
    private const long Hour = 3_600_000;

    public static async Task RunAsync(int requests)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-camara-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        const int Side = 40;
        File.WriteAllText(Path.Combine(dir, "deployment.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            { "areas": [ { "name": "bench", "centre": [106.5790, 29.5630], "widthM": {{Side * 100}}, "heightM": {{Side * 100}}, "cellSizeM": 100,
                           "timeZone": "Asia/Shanghai", "slotMinutes": 15, "panelFactor": 1, "k": 10 } ] }
            """));
        var store = Path.Combine(dir, "store");
        var first = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / Hour) - 26) * Hour;
        string key;
        await using (var s = await Stores.OpenAsync(new StoreOptions { DataDirectory = store }, null))
        {
            for (var h = 0; h < 24; h++)
            {
                var slots = Enumerable.Range(0, 4).Select(i => first + (h * Hour) + (i * 900_000L)).ToArray();
                var rows = slots.SelectMany((slot, i) => Enumerable.Range(0, Side * Side).Select(c => new CountRecord(slot, "people", c, 20 + (((c * 7) + (h * 13) + i) % 400)))).ToList();
                await s.Counts.WriteAsync(new CountBatch("bench", "bench", slots, rows));
                Console.Error.Write($"\rcounts {h + 1}/24 hours");
            }

            key = await s.Keys.IssueAsync("bench-viewer", "viewer");
        }

        Console.Error.WriteLine();
        Process? host = null;
        try
        {
            (host, var address) = await BenchProcesses.StartNodeAsync("host",
            [
                "--CrowdWatch:Deployment", Path.Combine(dir, "deployment.json"), "--Store:DataDirectory", store, "--Replay:Enabled", "false",
                "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Logging:LogLevel:Default", "Warning", "--Api:RequestsPerMinute", "1000000",
                "--Ingest:PseudonymKey", "bench-pseudonym-key-0123456789abcdef",
            ]);
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            // 2 km x 2 km about the centre: 0.0103 degrees of longitude and 0.0090 of latitude each side at 29.56° N.
            var body = new JsonObject
            {
                ["area"] = new JsonObject
                {
                    ["areaType"] = "POLYGON",
                    ["boundary"] = new JsonArray([.. new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) }.Select(p => (JsonNode)new JsonObject
                    {
                        ["latitude"] = 29.5630 + (p.Item2 * 0.0090), ["longitude"] = 106.5790 + (p.Item1 * 0.0103),
                    })]),
                },
                ["startTime"] = At(first),
                ["endTime"] = At(first + (24 * Hour) - 1),
                ["precision"] = 7,
            };
            var times = new List<double>();
            var (cells, intervals) = (0, 0);
            for (var i = 0; i < requests + 5; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.PostAsJsonAsync("/population-density-data/vwip/retrieve", body);
                var answer = await response.Content.ReadAsStringAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {answer}");
                if (i >= 5) times.Add(watch.Elapsed.TotalMilliseconds);
                if (i == 0)
                {
                    var data = JsonNode.Parse(answer)!["timedPopulationDensityData"]!.AsArray();
                    (intervals, cells) = (data.Count, data[0]!["cellPopulationDensityData"]!.AsArray().Count);
                }

                Console.Error.Write($"\rrequest {i + 1}/{requests + 5}");
            }

            times.Sort();
            double Q(double q) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(q * times.Count) - 1)];
            Console.Error.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"/retrieve, 2 km x 2 km polygon at precision 7 ({cells} geohash cells) over {intervals} hourly intervals, {requests} requests after 5 warm-up: p50 {Q(0.5):0.0} ms, p99 {Q(0.99):0.0} ms, max {times[^1]:0.0} ms"));
        }
        finally
        {
            if (host is not null) LiveFrames.Stop(host);
            await Task.Delay(300);
            BenchProcesses.Remove(dir);
        }
    }

    private static string At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
