using System.Net;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Access;
using CrowdWatch.Storage.Tests;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>The engines under a node going away and coming back: nothing acknowledged is lost, and no node is restarted.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterOutageTests(PostgresServer server) : IDisposable
{
    private readonly ClusterFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task With_Redis_down_a_post_is_refused_with_503_and_Retry_After_and_once_Redis_is_back_the_node_takes_posts_again_and_loses_none()
    {
        var redisData = _fixture.Deployment.File_("redis");
        var redis = await RedisServer.StartAsync(dataDirectory: redisData);
        var port = redis.Port;
        await using var host = await RunningHost.StartAsync(
            "--CrowdWatch:Deployment", _fixture.Deployment.DeploymentPath, "--Store:DataDirectory", _fixture.Deployment.File_("store"),
            "--Cluster:Redis", redis.Configuration, "--Cluster:BlockCells", "10", "--Cluster:LeaseSeconds", "3",
            "--Ingest:PseudonymKey", ClusterFixture.PseudonymKey, "--Ingest:LatenessMinutes", "30", "--Ingest:IdleCloseMinutes", "0.15",
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        var key = await host.Services.GetRequiredService<IApiKeys>().IssueAsync("gate-feed", "ingest");
        var posts = _fixture.Posts;
        var half = posts.Count / 2;
        try
        {
            foreach (var body in posts.Take(half))
                Assert.Equal(HttpStatusCode.OK, (await ClusterFixture.PostAsync(host.Http, key, body)).StatusCode);
        }
        finally
        {
            await redis.DisposeAsync();
        }

        // Redis is gone: the post is refused whole, with when to try again; nothing of it is kept.
        using (var refused = await ClusterFixture.PostAsync(host.Http, key, posts[half]))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("nothing of this post was kept", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Redis back on its port with its append-only file: the same node, not restarted, takes the post on a retry.
        await using var back = await RedisServer.StartAsync(port, redisData);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        foreach (var body in posts.Skip(half))
        {
            while (true)
            {
                using var response = await ClusterFixture.PostAsync(host.Http, key, body);
                if (response.StatusCode == HttpStatusCode.OK) break;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the node did not take posts within 30 s of Redis coming back");
                await Task.Delay(200);
            }
        }

        var expected = await _fixture.OneProcessAsync();
        var held = await ClusterFixture.WaitForAsync(host.Services.GetRequiredService<CrowdWatch.Geo.Storage.ICountStore>(), expected, TimeSpan.FromSeconds(90));
        Assert.Equal(expected.OrderBy(e => e.Key), held.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task With_PostgreSQL_down_a_worker_retries_with_backoff_and_stores_every_slot_once_it_is_back()
    {
        var expected = await _fixture.OneProcessAsync();
        await using var redis = await RedisServer.StartAsync();
        var connection = await server.NewDatabaseAsync();
        var key = await ClusterFixture.IngestKeyAsync(connection);
        await using var node = await ClusterNode.StartAsync("node-1", _fixture.NodeArgs(connection, redis));
        foreach (var body in _fixture.Posts)
            Assert.Equal(HttpStatusCode.OK, (await ClusterFixture.PostAsync(node.Http, key, body)).StatusCode);

        // The evening's last slots close (the feed is quiet for 9 s) while the store is away.
        await server.PauseAsync();
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!node.Output.Contains("Ingest log or store unavailable; retrying", StringComparison.Ordinal))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(40), "the worker never found the store away:\n" + node.Output);
                await Task.Delay(100);
            }
        }
        finally
        {
            await server.ResumeAsync();
        }

        await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
        var held = await ClusterFixture.WaitForAsync(store.Counts, expected, TimeSpan.FromSeconds(90));
        Assert.Equal(expected.OrderBy(e => e.Key), held.OrderBy(e => e.Key));
    }
}
