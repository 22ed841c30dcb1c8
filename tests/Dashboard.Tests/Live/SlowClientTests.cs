using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Live;

/// <summary>
/// A dashboard that subscribes and then stops reading (a frozen tab, a phone in a tunnel) must not hold frames back
/// from the others: its socket fills, and everyone else still gets every frame at once.
/// </summary>
public sealed class SlowClientTests : IDisposable
{
    private const long SlotMs = 300_000;
    private const int Side = 200;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-slow-client-" + Guid.NewGuid().ToString("N"));

    public SlowClientTests()
    {
        Directory.CreateDirectory(_dir);
        // 40 000 cells of 100 m, five-minute slots, k 1: every frame below is 40 000 changed cells, about 400 KB of JSON.
        File.WriteAllText(Path.Combine(_dir, "deployment.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            { "areas": [ { "name": "wide", "centre": [106.5790, 29.5630], "widthM": {{Side * 100}}, "heightM": {{Side * 100}}, "cellSizeM": 100,
                           "timeZone": "Asia/Shanghai", "slotMinutes": 5, "panelFactor": 1, "k": 1 } ] }
            """));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A WebSocket over a socket with a 4 KB receive buffer: the SignalR handshake and a subscription, then silence.
    private static async Task<Socket> StuckClientAsync(Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /hubs/live HTTP/1.1\r\nHost: 127.0.0.1:{address.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var buffer = new byte[4096];
        var got = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, got).Contains("\r\n\r\n", StringComparison.Ordinal)) got += await socket.ReceiveAsync(buffer.AsMemory(got));
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(buffer, 0, got), StringComparison.Ordinal);
        await socket.SendAsync(TextFrame("{\"protocol\":\"json\",\"version\":1}\u001e"));
        await socket.SendAsync(TextFrame("{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[\"wide\",null]}\u001e"));
        return socket;
    }

    // A client's WebSocket text frame (masked, as a client's must be).
    private static byte[] TextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var mask = RandomNumberGenerator.GetBytes(4);
        var head = payload.Length < 126 ? new byte[] { 0x81, (byte)(0x80 | payload.Length) } : [0x81, 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length];
        return [.. head, .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_delay_the_frames_of_another()
    {
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", Path.Combine(_dir, "deployment.json"), "--Store:DataDirectory", Path.Combine(_dir, "store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Replay:Enabled", "false");
        using var stuck = await StuckClientAsync(new Uri(host.Address));
        // It keeps writing pings, so the server never takes it for gone: it only never reads.
        using var quiet = new CancellationTokenSource();
        var pinging = Task.Run(async () =>
        {
            try
            {
                while (!quiet.IsCancellationRequested)
                {
                    await stuck.SendAsync(TextFrame("{\"type\":6}\u001e"));
                    await Task.Delay(2000);
                }
            }
            catch (SocketException)
            {
                // Kestrel dropped it: below its minimum response data rate for five seconds, which a client that
                // never reads ends up at on a slow machine. Until then its sends were held, as the check below asks.
            }
        });
        await using var hub = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live").Build();
        var arrived = new ConcurrentDictionary<long, long>();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => arrived.TryAdd(f.SlotMs, Stopwatch.GetTimestamp()));
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "wide", null);
        await Task.Delay(300);

        var store = host.Services.GetRequiredService<ICountStore>();
        var frames = host.Services.GetRequiredService<HeatFrames>();
        // 34 slots up to now (the live map looks three hours back at most): about 14 MB for the silent client's buffers.
        var first = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (34 * SlotMs);
        var slowest = TimeSpan.Zero;
        var held = 0;
        for (var f = 0; f < 34; f++)
        {
            var slot = first + (f * SlotMs);
            var rows = Enumerable.Range(0, Side * Side).Select(c => new CountRecord(slot, "people", c, 20 + (((c * 7) + (f * 13)) % 400))).ToList();
            await store.WriteAsync(new CountBatch("wide", "slow-test", [slot], rows));
            var written = Stopwatch.GetTimestamp();
            var waited = Stopwatch.StartNew();
            while (!arrived.ContainsKey(slot) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(2);
            Assert.True(arrived.TryGetValue(slot, out var at), $"frame {f} did not reach the reading client within 10 s ({frames.Sending} sends held open)");
            var after = Stopwatch.GetElapsedTime(written, at);
            if (after > slowest) slowest = after;
            held = Math.Max(held, frames.Sending);
        }

        // The stuck client really was stuck (frames waited on it), and the other got every frame promptly.
        await quiet.CancelAsync();
        await pinging;
        Assert.True(held > 0, "the silent client took every frame: its buffers never filled, the test proves nothing");
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"slowest frame {slowest.TotalMilliseconds:F0} ms");
    }
}
