using System.Collections.Concurrent;
using System.Diagnostics;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Tests;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Live;

/// <summary>
/// Frames are pushed when counts are stored, not found by a poll: with the safety-net poll at an hour a frame still
/// arrives within a second of the write, whether the host wrote it (embedded store) or another process did (PostgreSQL,
/// heard through LISTEN/NOTIFY).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PushTests(PostgresServer server)
{
    private const long SlotMs = 900_000;

    private static async Task<TimeSpan> FrameAfterWriteAsync(RunningHost host, ICountStore writer)
    {
        await using var hub = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live").Build();
        var frames = new ConcurrentQueue<(HeatFrame Frame, long At)>();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => frames.Enqueue((f, Stopwatch.GetTimestamp())));
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "hongyadong", null);
        // The publisher's first look at start found nothing; from now on only a push can bring a frame within the hour.
        await Task.Delay(500);
        var slot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - SlotMs;
        await writer.WriteAsync(new CountBatch("hongyadong", "push-test", [slot], [new CountRecord(slot, "people", 200, 120)]));
        var written = Stopwatch.GetTimestamp();
        var waited = Stopwatch.StartNew();
        while (!frames.Any(f => f.Frame.SlotMs == slot) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
        var (frame, at) = Assert.Single(frames, f => f.Frame.SlotMs == slot);
        Assert.Equal(120, frame.People()[Array.IndexOf(frame.CellIds(), 200)]);
        return Stopwatch.GetElapsedTime(written, at);
    }

    [Fact]
    public async Task A_frame_reaches_a_client_within_a_second_of_the_hosts_own_store_write_with_the_safety_poll_at_an_hour()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Live:SafetyPollSeconds", "3600");
        var after = await FrameAfterWriteAsync(host, host.Services.GetRequiredService<ICountStore>());
        Assert.True(after < TimeSpan.FromSeconds(1), $"frame {after.TotalMilliseconds:F0} ms after the write");
    }

    [Fact]
    public async Task A_frame_reaches_a_client_within_a_second_of_another_processes_write_to_PostgreSQL_heard_by_notify()
    {
        using var d = new TestDeployment();
        var connection = await server.NewDatabaseAsync();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:Provider", "postgres", "--ConnectionStrings:CrowdWatch", connection,
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Live:SafetyPollSeconds", "3600");
        // A store of its own, as a command-line ingest or another node has: the host hears its write only through NOTIFY.
        await using var other = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
        var after = await FrameAfterWriteAsync(host, other.Counts);
        Assert.True(after < TimeSpan.FromSeconds(1), $"frame {after.TotalMilliseconds:F0} ms after the write");
    }
}
