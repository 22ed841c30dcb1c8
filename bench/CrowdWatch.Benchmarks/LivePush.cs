using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// Heat frames pushed on write to many dashboards, the clients in a process of their own (<see cref="LivePushClients"/>).
/// The host (or NODES hosts sharing one Redis, the clients spread over them) runs as child processes on one
/// PostgreSQL; this process writes each slot, every one of CELLS cells changed, straight into PostgreSQL (the nodes hear
/// it through LISTEN/NOTIFY and each draws its own clients' frames; their safety-net poll is an hour) and times store write to the last byte of the frame at
/// every client. Reports p50/p99/max over every client and frame, the hosts' CPU per frame, and what one frame of
/// CELLS cells costs in bytes in the JSON and the MessagePack protocol.
/// </summary>
internal static class LivePush
{
    // Frames written before the timed ones: the JIT has optimised the send path by then, as in a service that runs.
    private const int Warm = 5;

    public static async Task RunAsync(int clients, int cells, int frames, int nodes)
    {
        var server = Environment.GetEnvironmentVariable("CROWDWATCH_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("set CROWDWATCH_BENCH_POSTGRES to a PostgreSQL connection string (scripts/pg-scratch.sh starts a server and prints one)");
        var side = (int)Math.Ceiling(Math.Sqrt(cells));
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-push-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        BenchProcesses.SquareDeployment(dir, side);
        var connection = await BenchProcesses.NewDatabaseAsync(server);
        (Process Process, int Port)? redis = nodes > 1 ? BenchProcesses.StartRedis(dir, appendOnly: false) : null;
        var hosts = new List<(Process Process, string Address)>();
        Process? far = null;
        try
        {
            for (var i = 1; i <= nodes; i++) hosts.Add(await StartHostAsync(dir, connection, redis?.Port, i));
            far = StartClients(hosts.Select(h => h.Address), clients);
            if (await far.StandardOutput.ReadLineAsync() != "ready") throw new InvalidOperationException("the clients' process did not get ready");
            await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
            const long slotMs = 300_000;
            var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slotMs * slotMs) - ((frames + Warm + 1) * slotMs);
            var cpuBefore = TimeSpan.Zero;
            var wall = Stopwatch.StartNew();
            for (var f = 0; f < frames + Warm; f++)
            {
                var s = start + (f * slotMs);
                var rows = Enumerable.Range(0, cells).Select(c => new CountRecord(s, "people", c, 20 + (((c * 7) + (f * 13)) % 400))).ToList();
                await store.Counts.WriteAsync(new CountBatch("bench", "bench", [s], rows));
                // The first frames (the first one whole) warm the hosts up as a running service is: not timed.
                await far.StandardInput.WriteLineAsync(FormattableString.Invariant($"wrote {s} {DateTime.UtcNow.Ticks}{(f < Warm ? " warm" : "")}"));
                await far.StandardInput.FlushAsync();
                var answer = await far.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the clients' process ended");
                if (!answer.EndsWith(FormattableString.Invariant($" {clients}"), StringComparison.Ordinal)) throw new InvalidOperationException($"frame {f}: {answer} of {clients} clients within 60 s");
                Console.Error.Write(f < Warm ? $"\rwarm-up {f + 1}/{Warm}" : $"\rframe {f - Warm + 1}/{frames}");
                if (f == Warm - 1)
                {
                    cpuBefore = Cpu(hosts);
                    wall.Restart();
                }
            }

            var cpu = (Cpu(hosts) - cpuBefore).TotalSeconds;
            var seconds = wall.Elapsed.TotalSeconds;
            await far.StandardInput.WriteLineAsync("done");
            await far.StandardInput.FlushAsync();
            var all = (await far.StandardOutput.ReadLineAsync())!.Split(' ');
            var (json, packed) = FrameBytes(cells);
            Console.Error.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clients} clients in another process over {nodes} node(s){(nodes > 1 ? " sharing Redis" : "")}, {cells} cells every one changed, {frames} frames: "
                + $"store write to frame received p50 {all[1]} ms, p99 {all[2]} ms, max {all[3]} ms ({all[4]} deliveries); "
                + $"hosts' CPU {cpu / frames:0.00} core-s per frame, {100 * cpu / seconds:0}% of one core over {seconds:0.0} s; "
                + $"a frame of {cells} cells: JSON {json / 1024.0:0} KiB, MessagePack {packed / 1024.0:0} KiB"));
        }
        finally
        {
            if (far is not null) LiveFrames.Stop(far);
            foreach (var (p, _) in hosts) LiveFrames.Stop(p);
            if (redis is { } r) LiveFrames.Stop(r.Process);
            await Task.Delay(300);
            BenchProcesses.Remove(dir);
        }
    }

    // What SignalR writes for one frame of every cell changed, in each protocol.
    private static (long Json, long MessagePack) FrameBytes(int cells)
    {
        var frame = HeatFrame.Of("bench", "2026-12-07T20:00+08:00", 0, false,
            [.. Enumerable.Range(0, cells).Select(c => new HeatCell(c, 20 + ((c * 7) % 400), 0.5, 1))]);
        var message = new InvocationMessage(nameof(ILiveClient.HeatFrame), [frame]);
        long Size(IHubProtocol protocol)
        {
            var buffer = new ArrayBufferWriter<byte>();
            protocol.WriteMessage(message, buffer);
            return buffer.WrittenCount;
        }

        return (Size(new JsonHubProtocol()), Size(new MessagePackHubProtocol()));
    }

    private static TimeSpan Cpu(List<(Process Process, string Address)> hosts)
    {
        var total = TimeSpan.Zero;
        foreach (var (p, _) in hosts)
        {
            p.Refresh();
            total += p.TotalProcessorTime;
        }

        return total;
    }

    private static Process StartClients(IEnumerable<string> addresses, int clients)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "CrowdWatch.Benchmarks.dll"), "live-push-clients", string.Join(',', addresses),
                     clients.ToString(CultureInfo.InvariantCulture), "bench"])
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LiveFrames.Stop(process);
        return process;
    }

    private static Task<(Process Process, string Address)> StartHostAsync(string dir, string connection, int? redisPort, int i) =>
        BenchProcesses.StartNodeAsync($"node-{i}",
        [
            "--CrowdWatch:Deployment", Path.Combine(dir, "deployment.json"), "--Store:Provider", "postgres", "--ConnectionStrings:CrowdWatch", connection,
            "--Replay:Enabled", "false", "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Live:SafetyPollSeconds", "3600",
            "--Logging:LogLevel:Default", "Warning", "--Api:RequestsPerMinute", "1000000", "--Ingest:PseudonymKey", "bench-pseudonym-key-0123456789abcdef",
            .. redisPort is { } r ? ["--Cluster:Redis", FormattableString.Invariant($"127.0.0.1:{r}"), "--Cluster:NodeId", $"node-{i}"] : Array.Empty<string>(),
        ]);
}
