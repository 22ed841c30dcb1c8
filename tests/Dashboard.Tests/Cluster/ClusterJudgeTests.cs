using System.Collections.Concurrent;
using System.Diagnostics;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>
/// One judge per area among several node processes: node 1 serves browsers only, nodes 2 and 3 are workers and the
/// area is dealt to node 3. Its frames and alert events reach a browser on node 1 through the backplane; killed, it is
/// replaced by node 2, which judges the next slot from the store's open alerts and raises nothing twice.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterJudgeTests(PostgresServer server, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const long SlotMs = 900_000;
    private const string Lease = "crowdwatch:lease:judge:hongyadong";
    private const string Judged = "crowdwatch:judged:hongyadong";
    private readonly ClusterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    // A slot of the zone: its people in two cells (for the frame) and as the zone's total (for the judge).
    private static Task WriteSlotAsync(ICountStore store, long slot, double people) =>
        store.WriteAsync(new CountBatch("hongyadong", "test", [slot], [new CountRecord(slot, "people", 200, people / 2), new CountRecord(slot, "people", 201, people / 2)])
        {
            ZoneRows = [new ZoneCountRecord(slot, "people", "洪崖洞 Hongyadong", people)],
        });

    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> done, TimeSpan limit, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < limit, $"not within {limit.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }

        return waited.Elapsed;
    }

    private static async Task<long> RaisesAsync(string connection)
    {
        await using var sql = new NpgsqlConnection(connection);
        await sql.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM alert_event WHERE kind = 'raised'", sql);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_judge_killed_is_replaced_within_a_lease_the_next_slot_is_judged_on_another_node_and_no_alert_is_raised_twice()
    {
        await using var redis = await RedisServer.StartAsync();
        var connection = await server.NewDatabaseAsync();
        var nodes = new List<ClusterNode>();
        foreach (var (name, roles) in new[] { ("node-1", "frontend"), ("node-2", "all"), ("node-3", "all") })
            nodes.Add(await ClusterNode.StartAsync(name, _fixture.NodeArgs(connection, redis, roles, alerts: true)));
        using var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = mux.GetDatabase();
        await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
        await using var hub = new HubConnectionBuilder().WithUrl($"{nodes[0].Address}/hubs/live").Build();
        var frames = new ConcurrentQueue<HeatFrame>();
        var events = new ConcurrentQueue<AlertEventView>();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => frames.Enqueue(f));
        hub.On<AlertEventView>(nameof(ILiveClient.Alert), e => events.Enqueue(e));
        try
        {
            // Two workers beat: the one area goes to the last of them by name.
            await UntilAsync(async () => (string?)await db.StringGetAsync(Lease) == "node-3", TimeSpan.FromSeconds(15), "node-3 judges the area");
            await hub.StartAsync();
            await hub.InvokeAsync("Subscribe", "hongyadong", null);

            // Four slots to now; the third is Red (21 000 people, capacity 20 000) and complete, as the fourth has data.
            var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (3 * SlotMs);
            double[] people = [5000, 9000, 21000, 21500];
            for (var i = 0; i < people.Length; i++) await WriteSlotAsync(store.Counts, s0 + (i * SlotMs), people[i]);
            await UntilAsync(async () => (long?)await db.StringGetAsync(Judged) >= s0 + (2 * SlotMs), TimeSpan.FromSeconds(20), "the Red slot judged");
            var raised = Assert.Single(await store.Alerts.OpenAlertsAsync("hongyadong"));
            Assert.Equal(("red", "zone:洪崖洞 Hongyadong"), (raised.Level, raised.Place));
            Assert.Equal(1L, await RaisesAsync(connection));

            // The browser on node 1 heard node 3's raise and frame.
            await UntilAsync(() => Task.FromResult(events.Any(e => e.Kind == "raised") && frames.Any(f => f.SlotMs == s0 + (3 * SlotMs))), TimeSpan.FromSeconds(10), "node 1's browser hears node 3");
            Assert.Equal(raised.AlertId, Assert.Single(events, e => e.Kind == "raised").AlertId);
            // The front-end judges nothing (node 2 may have judged until node 3 came up, and handed the area over).
            Assert.DoesNotContain("judged on this node", nodes[0].Output, StringComparison.Ordinal);

            // Node 3 dies; the next slot comes, which makes the fourth complete.
            await nodes[2].KillAsync();
            var killed = Stopwatch.StartNew();
            await WriteSlotAsync(store.Counts, s0 + (4 * SlotMs), 22000);
            await UntilAsync(async () => (long?)await db.StringGetAsync(Judged) >= s0 + (3 * SlotMs), TimeSpan.FromSeconds(20), "the next slot judged after the kill");
            var judgedAfter = killed.Elapsed;
            output.WriteLine($"next slot judged by another node {judgedAfter.TotalSeconds:F2} s after the kill");
            Assert.Equal("node-2", (string?)await db.StringGetAsync(Lease));
            // Three-second leases renewed every 0.75 s, the judge's poll 0.1 s: judged again within 5.25 s of the kill.
            Assert.True(judgedAfter < TimeSpan.FromSeconds(3 + 0.75 + 1.5), $"the next slot judged {judgedAfter.TotalSeconds:F1} s after the kill");

            // Still one alert, raised once, carried on by node 2; node 1's browser hears node 2's frames now.
            Assert.Equal([raised.AlertId], (await store.Alerts.OpenAlertsAsync("hongyadong")).Select(e => e.AlertId));
            Assert.Equal(1L, await RaisesAsync(connection));

            await UntilAsync(() => Task.FromResult(frames.Any(f => f.SlotMs == s0 + (4 * SlotMs))), TimeSpan.FromSeconds(10), "node 1's browser hears node 2's frame");
            Assert.Contains("Alerts of hongyadong: judged on this node", nodes[1].Output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }
}
