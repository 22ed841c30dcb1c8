using System.Collections.Concurrent;
using System.Diagnostics;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;

namespace CrowdWatch.Dashboard.Tests.Live;

public class BackplaneTests
{
    private const long SlotMs = 900_000;

    [Fact]
    public async Task A_front_end_node_draws_the_frame_of_counts_a_worker_node_stored_woken_through_Redis_and_a_node_without_Redis_hears_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        using var d = new TestDeployment();
        string[] common = ["--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false",
            "--Alerts:Enabled", "false", "--Ingest:PseudonymKey", "backplane-tests-key-0123456789"];
        // The front-ends look at the store by themselves once an hour: a frame within seconds was woken by Redis.
        string[] hourly = ["--Live:SafetyPollSeconds", "3600"];
        await using var worker = await RunningHost.StartAsync([.. common, "--Cluster:Redis", redis.Configuration, "--Cluster:Roles", "worker,dispatcher"]);
        await using var front = await RunningHost.StartAsync([.. common, .. hourly, "--Cluster:Redis", redis.Configuration, "--Cluster:Roles", "frontend"]);
        await using var alone = await RunningHost.StartAsync([.. common, .. hourly, "--Cluster:Roles", "frontend"]);
        // A node with browsers draws their frames itself (frames never cross the backplane); a worker draws none.
        Assert.DoesNotContain(worker.Services.GetServices<IHostedService>(), s => s is HeatFrames);
        Assert.Contains(front.Services.GetServices<IHostedService>(), s => s is HeatFrames);

        async Task<(HubConnection Hub, ConcurrentQueue<HeatFrame> Frames)> ListenAsync(RunningHost host)
        {
            var hub = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live").Build();
            var frames = new ConcurrentQueue<HeatFrame>();
            hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => frames.Enqueue(f));
            await hub.StartAsync();
            await hub.InvokeAsync("Subscribe", "hongyadong", null);
            return (hub, frames);
        }

        var (frontHub, frontFrames) = await ListenAsync(front);
        var (aloneHub, aloneFrames) = await ListenAsync(alone);
        await using (frontHub)
        await using (aloneHub)
        {
            // A slot of 100 people (30 devices at the panel factor 0.3) in cell 200, written to the store all nodes share.
            var slot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - SlotMs;
            await worker.Services.GetRequiredService<ICountStore>().WriteAsync(new CountBatch("hongyadong", "test", [slot], [new CountRecord(slot, "people", 200, 100)]));
            var waited = Stopwatch.StartNew();
            while (!frontFrames.Any(f => f.SlotMs == slot) && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);

            var frame = Assert.Single(frontFrames.Where(f => f.SlotMs == slot && f.CellIds().Contains(200)).Take(1));
            Assert.Equal("hongyadong", frame.Area);
            Assert.Equal(100, frame.People()[Array.IndexOf(frame.CellIds(), 200)]);
            // The node on its own hears of no other node's writes (it would find them at its hourly look).
            Assert.Empty(aloneFrames);
        }
    }

    [Fact]
    public async Task Frames_are_woken_through_Redis_again_once_it_is_back_without_restarting_a_node()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        using var d = new TestDeployment();
        string[] common = ["--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false",
            "--Alerts:Enabled", "false", "--Cluster:Redis", redis.Configuration, "--Ingest:PseudonymKey", "backplane-tests-key-0123456789"];
        await using var worker = await RunningHost.StartAsync([.. common, "--Cluster:Roles", "worker"]);
        await using var front = await RunningHost.StartAsync([.. common, "--Cluster:Roles", "frontend", "--Live:SafetyPollSeconds", "3600"]);
        await using var hub = new HubConnectionBuilder().WithUrl($"{front.Address}/hubs/live").Build();
        var frames = new ConcurrentQueue<HeatFrame>();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => frames.Enqueue(f));
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "hongyadong", null);
        var store = worker.Services.GetRequiredService<ICountStore>();
        var slot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (2 * SlotMs);

        async Task<bool> FrameOfAsync(long slotMs, double people)
        {
            await store.WriteAsync(new CountBatch("hongyadong", "test", [slotMs], [new CountRecord(slotMs, "people", 200, people)]));
            var waited = Stopwatch.StartNew();
            while (!frames.Any(f => f.SlotMs == slotMs) && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
            return frames.Any(f => f.SlotMs == slotMs);
        }

        Assert.True(await FrameOfAsync(slot, 100), "no frame before Redis went down");
        // Redis goes away and comes back on its address; neither node is restarted.
        await redis.DisposeAsync();
        await using var again = await RedisServer.StartAsync(port);
        // A word published while a node is still reconnecting is lost (Redis pub/sub keeps nothing; the safety poll
        // would find the slot): the next slots' frames come once both nodes are back on Redis.
        var back = Stopwatch.StartNew();
        var k = 1;
        while (!frames.Any(f => f.SlotMs > slot) && back.Elapsed < TimeSpan.FromSeconds(30))
        {
            var next = slot + (k * SlotMs);
            await store.WriteAsync(new CountBatch("hongyadong", "test", [next], [new CountRecord(next, "people", 200, 100 + (10 * k++))]));
            await Task.Delay(1_000);
        }

        Assert.True(frames.Any(f => f.SlotMs > slot), "no frame within 30 s of Redis coming back");
    }
}
