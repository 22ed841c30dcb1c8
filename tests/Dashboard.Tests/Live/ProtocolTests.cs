using System.Collections.Concurrent;
using System.Diagnostics;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Live;

/// <summary>The hub speaks JSON and MessagePack; either way a viewer's frame never carries a count under k.</summary>
public sealed class ProtocolTests
{
    private const long SlotMs = 900_000;

    private static async Task<HubConnection> ListenAsync(RunningHost host, bool messagePack, ConcurrentQueue<HeatFrame> frames)
    {
        var builder = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live");
        if (messagePack) builder.AddMessagePackProtocol();
        var hub = builder.Build();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), frames.Enqueue);
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "hongyadong", null);
        return hub;
    }

    [Fact]
    public async Task Frames_over_json_and_messagepack_carry_the_same_cells_and_neither_a_count_under_k()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        var (json, packed) = (new ConcurrentQueue<HeatFrame>(), new ConcurrentQueue<HeatFrame>());
        await using var jsonHub = await ListenAsync(host, messagePack: false, json);
        await using var packedHub = await ListenAsync(host, messagePack: true, packed);

        // k is 10 in the test deployment: 120 people are shown, 6 are "low density" with no number.
        var slot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - SlotMs;
        await host.Services.GetRequiredService<ICountStore>().WriteAsync(new CountBatch("hongyadong", "protocol-test", [slot],
            [new CountRecord(slot, "people", 200, 120), new CountRecord(slot, "people", 201, 6)]));
        var waited = Stopwatch.StartNew();
        while (!(json.Any(f => f.SlotMs == slot) && packed.Any(f => f.SlotMs == slot)) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);

        foreach (var frame in new[] { json, packed }.Select(q => Assert.Single(q, f => f.SlotMs == slot)))
        {
            Assert.Equal([200, 201], frame.CellIds());
            Assert.Equal([120, null], frame.People());
        }

        // What a reconnecting client asks for, in MessagePack too: the whole frame and the alert events it missed.
        var whole = await packedHub.InvokeAsync<HeatFrame>("Frame", "hongyadong");
        Assert.True(whole.Full);
        Assert.Equal([120, null], whole.People());
        Assert.Empty(await packedHub.InvokeAsync<AlertEventView[]>("Missed", "hongyadong", 0L, null));
    }
}
