using System.Collections.Concurrent;
using System.Diagnostics;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace CrowdWatch.Dashboard.Tests.Live;

/// <summary>The hub speaks JSON and MessagePack; either way a viewer's frame never carries a count under k.</summary>
public sealed class ProtocolTests
{
    private const long SlotMs = 900_000;

    private static async Task<HubConnection> ListenAsync(RunningHost host, bool messagePack, ConcurrentQueue<HeatFrame> frames, string? key = null)
    {
        // A key goes as browsers send it on a WebSocket: the access_token query parameter (.NET's client would send a header).
        var url = $"{host.Address}/hubs/live" + (key is null ? "" : $"?access_token={Uri.EscapeDataString(key)}");
        var builder = new HubConnectionBuilder().WithUrl(url, o =>
        {
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        });
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

    [Fact]
    public async Task An_operators_frames_are_exact_a_viewers_suppressed_each_built_once_and_a_wrong_key_is_refused()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        var keys = host.Services.GetRequiredService<CrowdWatch.Storage.Access.IApiKeys>();
        var (operatorKey, viewerKey) = (await keys.IssueAsync("duty-officer", "operator"), await keys.IssueAsync("wall", "viewer"));
        var (exact, viewer, anonymous) = (new ConcurrentQueue<HeatFrame>(), new ConcurrentQueue<HeatFrame>(), new ConcurrentQueue<HeatFrame>());
        await using var operatorHub = await ListenAsync(host, messagePack: true, exact, operatorKey);
        await using var viewerHub = await ListenAsync(host, messagePack: false, viewer, viewerKey);
        await using var anonymousHub = await ListenAsync(host, messagePack: true, anonymous);
        await Assert.ThrowsAnyAsync<Exception>(() => ListenAsync(host, messagePack: true, new ConcurrentQueue<HeatFrame>(), "not-a-key"));

        var slot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - SlotMs;
        await host.Services.GetRequiredService<ICountStore>().WriteAsync(new CountBatch("hongyadong", "audience-test", [slot],
            [new CountRecord(slot, "people", 200, 120), new CountRecord(slot, "people", 201, 6)]));
        var waited = Stopwatch.StartNew();
        while (!new[] { exact, viewer, anonymous }.All(q => q.Any(f => f.SlotMs == slot)) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);

        // k is 10: the operator sees the 6 people, the viewer (key or none) only that someone is there.
        Assert.Equal([120, 6], Assert.Single(exact, f => f.SlotMs == slot).People());
        Assert.Equal([120, null], Assert.Single(viewer, f => f.SlotMs == slot).People());
        Assert.Equal([120, null], Assert.Single(anonymous, f => f.SlotMs == slot).People());
        Assert.Equal([120, 6], (await operatorHub.InvokeAsync<HeatFrame>("Frame", "hongyadong")).People());
        Assert.Equal([120, null], (await viewerHub.InvokeAsync<HeatFrame>("Frame", "hongyadong")).People());

        // One frame object per audience went to every client of it: built once, not per client.
        var round = host.Services.GetRequiredService<FrameFanOut>().Newest("hongyadong")!;
        Assert.Same(round.Message(Audience.Viewers, null, whole: false), round.Message(Audience.Viewers, null, whole: false));
        Assert.NotSame(round.Message(Audience.Viewers, null, whole: false), round.Message(Audience.Operators, null, whole: false));
    }

    [Fact]
    public async Task A_key_sent_as_access_token_never_reaches_the_log()
    {
        using var d = new TestDeployment();
        var logged = new ConcurrentQueue<string>();
        await using var host = await RunningHost.StartAsync(s => s.AddLogging(l => l.AddProvider(new Logged(logged)).SetMinimumLevel(LogLevel.Trace)),
            "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        var key = await host.Services.GetRequiredService<CrowdWatch.Storage.Access.IApiKeys>().IssueAsync("duty-officer", "operator");
        await using (var hub = await ListenAsync(host, messagePack: true, new ConcurrentQueue<HeatFrame>(), key))
            await hub.InvokeAsync<HeatFrame?>("Frame", "hongyadong");

        Assert.Contains(logged, m => m.Contains("/hubs/live", StringComparison.Ordinal) || m.Contains("LiveHub", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, m => m.Contains(key, StringComparison.Ordinal));
    }

    private sealed class Logged(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
