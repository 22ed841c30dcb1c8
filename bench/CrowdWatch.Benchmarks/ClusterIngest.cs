using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CrowdWatch.Dashboard.Cluster;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// Live ingest on the sample city through real node processes on loopback, one shape after another: one process on its
/// own (the in-process path, no Redis), then 1, 2 and 3 nodes on the Redis Streams log (redis-server with an append-only
/// file, fsync always) and one PostgreSQL. Each shape gets ROWS synthetic pings posted round-robin by four concurrent
/// posters in posts of 5 000; reported: rows acknowledged per second, and (on the log) until the workers had read every
/// entry. Then ten rounds of ping-POST-to-frame: 40 to 50 pings in each of 152 cells spread over every block for one slot, then one
/// ping per cell in the next slot (which closes the first, lateness 0); timed from that post to the moment a SignalR
/// client on node 1 holds all 152 cells of the slot.
/// </summary>
internal static class ClusterIngest
{
    private const string Key = "bench-pseudonym-key-0123456789abcdef";
    private const int BlockCells = 32;

    public static async Task RunAsync(int rows, int maxNodes)
    {
        var server = Environment.GetEnvironmentVariable("CROWDWATCH_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("set CROWDWATCH_BENCH_POSTGRES to a PostgreSQL connection string (scripts/pg-scratch.sh starts a server and prints one)");
        Console.Error.WriteLine($"making {rows:N0} pings ...");
        var bodies = Bodies(new SyntheticPings(rows, devices: 100_000), 5000);
        var lines = new List<string> { await RunShapeAsync(server, 0, rows, bodies) };
        for (var n = 1; n <= maxNodes; n++) lines.Add(await RunShapeAsync(server, n, rows, bodies));
        foreach (var l in lines) Console.WriteLine(l);
    }

    // nodes 0: one process on its own; else that many nodes on the log.
    private static async Task<string> RunShapeAsync(string server, int nodes, int rows, IReadOnlyList<string> bodies)
    {
        var label = nodes == 0 ? "in-process, 1 node, no Redis" : $"{nodes} node(s) on the Redis log";
        Console.Error.WriteLine($"{label}: starting ...");
        var connection = await BenchProcesses.NewDatabaseAsync(server);
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-bench-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        (Process Process, int Port)? redis = nodes == 0 ? null : BenchProcesses.StartRedis(dir, appendOnly: true);
        var redisAt = redis is null ? null : $"127.0.0.1:{redis.Value.Port}";
        var hosts = new List<(Process Process, string Address)>();
        try
        {
            for (var i = 1; i <= Math.Max(1, nodes); i++) hosts.Add(await StartNodeAsync(connection, redisAt, i));
            var area = SampleArea.Create();
            var blocks = CellBlocks.Of(area.Grid.Spec, BlockCells).Count;
            using var mux = redisAt is null ? null : await ConnectionMultiplexer.ConnectAsync(redisAt);
            if (mux is not null) await UntilAsync(async () => await LeasesAsync(mux, blocks) == blocks, TimeSpan.FromSeconds(60));
            string key;
            await using (var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection))
                key = await store.Keys.IssueAsync("bench-feed", "ingest");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var addresses = hosts.Select(h => h.Address).ToList();

            var (acked, read) = await ThroughputAsync(http, addresses, bodies, mux, blocks);
            // What the log holds per ping while its slots are open (entries are trimmed once their slots are stored).
            var perPing = mux is null ? 0 : await BytesPerHeldPingAsync(mux, blocks);
            var aof = redis is null ? 0 : Directory.EnumerateFiles(dir, "*.aof", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / (double)rows;
            var latencies = await LatenciesAsync(http, addresses, area);
            var sorted = latencies.Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            var workers = read is { } r
                ? FormattableString.Invariant($", read by the workers in {r.TotalSeconds:0.0} s = {rows / r.TotalSeconds:N0} rows/s; Redis memory {perPing:0} B per ping held, append-only file {aof:0} B per ping posted")
                : "";
            return FormattableString.Invariant($"{label}: {rows:N0} rows acknowledged in {acked.TotalSeconds:0.0} s = {rows / acked.TotalSeconds:N0} rows/s{workers}")
                + FormattableString.Invariant($"; ping POST to whole frame at a client on node 1: p50 {P(0.5):0} ms, max {sorted[^1]:0} ms over {sorted.Length} slots");
        }
        finally
        {
            foreach (var (p, _) in hosts) LiveFrames.Stop(p);
            if (redis is { } rs) LiveFrames.Stop(rs.Process);
            await Task.Delay(500);
            BenchProcesses.Remove(dir);
        }
    }

    // Four posters take the posts in order, each to the next node; timed to the last acknowledgement and, on the log,
    // until no stream has an entry its group has not read.
    private static async Task<(TimeSpan Acked, TimeSpan? Read)> ThroughputAsync(HttpClient http, IReadOnlyList<string> nodes, IReadOnlyList<string> bodies,
        ConnectionMultiplexer? mux, int blocks)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        async Task PostAllAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count) await PostAsync(http, nodes[i % nodes.Count], bodies[i]);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAllAsync()));
        var acked = clock.Elapsed;
        Console.Error.WriteLine($"acknowledged in {acked.TotalSeconds:0.0} s");
        if (mux is null) return (acked, null);
        await UntilAsync(async () => await UnreadAsync(mux, blocks) == 0, TimeSpan.FromMinutes(10));
        return (acked, clock.Elapsed);
    }

    private static async Task<List<double>> LatenciesAsync(HttpClient http, IReadOnlyList<string> nodes, Geo.Areas.Area area)
    {
        var spec = area.Grid.Spec;
        var cells = new List<Cell>();
        for (var row = 4; row < spec.Rows; row += 8)
            for (var col = 4; col < spec.Cols; col += 8) cells.Add(area.Grid.CellAt(row, col));
        var held = new ConcurrentDictionary<long, ConcurrentDictionary<int, double>>();
        var ready = new ConcurrentDictionary<long, long>();
        await using var hub = new HubConnectionBuilder().WithUrl($"{nodes[0]}/hubs/live").Build();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f =>
        {
            var slot = held.GetOrAdd(f.SlotMs, _ => new ConcurrentDictionary<int, double>());
            foreach (var (cell, people, _) in f.Rows()) slot[cell] = people ?? 0;
            if (cells.All(c => slot.GetValueOrDefault(c.Id) > 0)) ready.TryAdd(f.SlotMs, Stopwatch.GetTimestamp());
        });
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", area.Name, null);
        const long slotMs = 900_000;
        var first = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slotMs * slotMs) - (11 * slotMs);
        var latencies = new List<double>();
        for (var r = 0; r < 11; r++)
        {
            var slot = first + (r * slotMs);
            // A different number of devices per cell every slot: frames carry only the cells that changed.
            await PostAsync(http, nodes[r % nodes.Count], Pings(area, cells, slot + 60_000, 40 + r, r));
            var closing = Stopwatch.GetTimestamp();
            await PostAsync(http, nodes[(r + 1) % nodes.Count], Pings(area, cells, slot + slotMs + 1_000, 1, r + 100));
            var waited = Stopwatch.StartNew();
            while (!ready.ContainsKey(slot) && waited.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(5);
            if (!ready.TryGetValue(slot, out var at)) throw new InvalidOperationException($"slot {r}: the client did not hold all {cells.Count} cells within 120 s");
            // The first round also closes every slot of the throughput run: not timed.
            if (r > 0) latencies.Add(Stopwatch.GetElapsedTime(closing, at).TotalMilliseconds);
            Console.Error.Write($"\rslot {r}/10");
        }

        Console.Error.WriteLine();
        return latencies;
    }

    // PER devices in each cell, at the cell's centre, at one instant; devices differ per round.
    private static string Pings(Geo.Areas.Area area, IReadOnlyList<Cell> cells, long atMs, int per, int round)
    {
        var body = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        foreach (var c in cells)
        {
            var (lon, lat) = area.Grid.CellCentre(c);
            for (var d = 0; d < per; d++)
                body.Append(CultureInfo.InvariantCulture, $"{atMs},r{round}-c{c.Id}-d{d},{lat:F7},{lon:F7},10\n");
        }

        return body.ToString();
    }

    private static async Task PostAsync(HttpClient http, string node, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync(new Uri($"{node}/api/areas/chongqing/ingest/pings"), content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{node}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static List<string> Bodies(SyntheticPings pings, int perPost)
    {
        var path = Path.Combine(Path.GetTempPath(), $"crowdwatch-bench-cluster-{pings.Lon.Length}.csv");
        if (!File.Exists(path)) pings.WriteCsv(path);
        var all = File.ReadAllLines(path);
        return [.. all.Skip(1).Chunk(perPost).Select(c => all[0] + "\n" + string.Join('\n', c) + "\n")];
    }

    // Redis's own count of the streams' bytes (MEMORY USAGE) over the pings their entries still hold.
    private static async Task<double> BytesPerHeldPingAsync(ConnectionMultiplexer mux, int blocks)
    {
        var db = mux.GetDatabase();
        var (bytes, pings) = (0L, 0L);
        for (var b = 0; b < blocks; b++)
        {
            var stream = IngestLog.StreamOf("chongqing", b);
            if (!await db.KeyExistsAsync(stream)) continue;
            bytes += (long)await db.ExecuteAsync("MEMORY", "USAGE", stream, "SAMPLES", "0");
            foreach (var e in await db.StreamRangeAsync(stream))
                pings += ((byte[]?)e[LogRecords.DataField])?.Length / LogRecords.PingBytes ?? 0;
        }

        return pings == 0 ? 0 : bytes / (double)pings;
    }

    private static async Task<long> LeasesAsync(ConnectionMultiplexer mux, int blocks)
    {
        var db = mux.GetDatabase();
        var held = 0L;
        for (var b = 0; b < blocks; b++)
            if (await db.KeyExistsAsync(Leases.KeyOf($"partition:chongqing/{b}"))) held++;
        return held;
    }

    // Entries not yet read by their stream's group, over every block of the area.
    private static async Task<long> UnreadAsync(ConnectionMultiplexer mux, int blocks)
    {
        var db = mux.GetDatabase();
        var unread = 0L;
        for (var b = 0; b < blocks; b++)
        {
            var stream = IngestLog.StreamOf("chongqing", b);
            if (!await db.KeyExistsAsync(stream)) continue;
            var groups = await db.StreamGroupInfoAsync(stream);
            unread += groups.Length == 0 ? await db.StreamLengthAsync(stream) : groups.Sum(g => g.Lag ?? 0);
        }

        return unread;
    }

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            if (waited.Elapsed > limit) throw new TimeoutException($"not within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    private static Task<(Process Process, string Address)> StartNodeAsync(string connection, string? redis, int i) =>
        BenchProcesses.StartNodeAsync($"node-{i}",
        [
            "--Store:Provider", "postgres", "--ConnectionStrings:CrowdWatch", connection, "--Replay:Enabled", "false", "--Forecast:Enabled", "false",
            "--Alerts:Enabled", "false", "--Ingest:PseudonymKey", Key, "--Ingest:LatenessMinutes", "0", "--Ingest:IdleCloseMinutes", "60",
            "--Api:RequestsPerMinute", "1000000", "--Logging:LogLevel:Default", "Warning",
            .. redis is null ? Array.Empty<string>() : ["--Cluster:Redis", redis, "--Cluster:NodeId", $"node-{i}", "--Cluster:BlockCells", BlockCells.ToString(CultureInfo.InvariantCulture)],
        ]);
}
