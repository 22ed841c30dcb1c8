using System.Diagnostics;
using System.Net;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Tests;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>
/// Several CrowdWatch processes on one Redis (the ingest log, leases) and one PostgreSQL: posted anywhere, every ping is
/// counted once, by the one worker that holds its block, whatever happens to the others.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterIngestTests(PostgresServer server) : IDisposable
{
    private readonly ClusterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private async Task<List<ClusterNode>> StartNodesAsync(string connection, RedisServer redis, int n)
    {
        var nodes = new List<ClusterNode>();
        foreach (var i in Enumerable.Range(1, n)) nodes.Add(await ClusterNode.StartAsync($"node-{i}", _fixture.NodeArgs(connection, redis)));
        return nodes;
    }

    private static async Task PostAllAsync(IReadOnlyList<ClusterNode> nodes, string key, IEnumerable<string> posts, int offset = 0)
    {
        var i = offset;
        foreach (var body in posts)
        {
            var node = nodes[i++ % nodes.Count];
            using var response = await ClusterFixture.PostAsync(node.Http, key, body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{node.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Pings_posted_round_robin_to_three_nodes_give_exactly_the_distinct_device_counts_of_one_process()
    {
        var expected = await _fixture.OneProcessAsync();
        Assert.True(expected.Count > 500, $"{expected.Count} (slot, cell) counts");
        await using var redis = await RedisServer.StartAsync();
        var connection = await server.NewDatabaseAsync();
        var key = await ClusterFixture.IngestKeyAsync(connection);
        var nodes = await StartNodesAsync(connection, redis, 3);
        try
        {
            await PostAllAsync(nodes, key, _fixture.Posts);
            await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
            var held = await ClusterFixture.WaitForAsync(store.Counts, expected, TimeSpan.FromSeconds(90));
            Assert.Equal(expected.OrderBy(e => e.Key), held.OrderBy(e => e.Key));

            // The four blocks were shared out: every node binned some, none all.
            using var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var holders = new List<string>();
            foreach (var b in Enumerable.Range(0, 4)) holders.Add((string?)await mux.GetDatabase().StringGetAsync($"crowdwatch:lease:partition:hongyadong/{b}") ?? "");
            Assert.Equal(3, holders.Distinct().Count());
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_worker_killed_mid_ingest_is_replaced_within_one_lease_and_the_counts_still_equal_one_process()
    {
        var expected = await _fixture.OneProcessAsync();
        await using var redis = await RedisServer.StartAsync();
        var connection = await server.NewDatabaseAsync();
        var key = await ClusterFixture.IngestKeyAsync(connection);
        var nodes = await StartNodesAsync(connection, redis, 3);
        using var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = mux.GetDatabase();
        try
        {
            var third = _fixture.Posts.Count / 3;
            await PostAllAsync(nodes, key, _fixture.Posts.Take(third));
            // The node binning block 0 dies with its open slots unstored and its entries unacknowledged.
            var holder = (string?)await db.StringGetAsync("crowdwatch:lease:partition:hongyadong/0");
            var victim = Assert.Single(nodes, n => n.Name == holder);
            var pending = await db.StreamPendingAsync("crowdwatch:log:{hongyadong}:0", "binners");
            Assert.True(pending.PendingMessageCount > 0, "the victim had nothing pending: the kill would prove nothing");
            await victim.KillAsync();
            var killed = Stopwatch.StartNew();
            var survivors = nodes.Where(n => n != victim).ToList();

            // The rest of the evening goes on to the others while block 0 is without a worker.
            var rest = PostAllAsync(survivors, key, _fixture.Posts.Skip(third));
            string? next = holder;
            while (next == holder || next is null)
            {
                Assert.True(killed.Elapsed < TimeSpan.FromSeconds(20), "no node took block 0 over within 20 s");
                await Task.Delay(50);
                next = await db.StringGetAsync("crowdwatch:lease:partition:hongyadong/0");
            }

            var takeover = killed.Elapsed;
            await rest;
            // Three-second leases, renewed every quarter: taken over within a lease and a renewal round.
            Assert.True(takeover < TimeSpan.FromSeconds(3 + 1.5), $"taken over after {takeover.TotalSeconds:F1} s");
            await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
            var held = await ClusterFixture.WaitForAsync(store.Counts, expected, TimeSpan.FromSeconds(90));
            Assert.Equal(expected.OrderBy(e => e.Key), held.OrderBy(e => e.Key));
            Assert.Contains(survivors, n => n.Output.Contains("Partition hongyadong/0: taken (", StringComparison.Ordinal) && !n.Output.Contains("hongyadong/0: taken (0 ", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }
}
