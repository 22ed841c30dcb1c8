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
        var fanOut = host.Services.GetRequiredService<FrameFanOut>();
        // 34 slots up to now (the live map looks three hours back at most): about 14 MB for the silent client's buffers.
        var first = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (34 * SlotMs);
        var slowest = TimeSpan.Zero;
        for (var f = 0; f < 34; f++)
        {
            var slot = first + (f * SlotMs);
            var rows = Enumerable.Range(0, Side * Side).Select(c => new CountRecord(slot, "people", c, 20 + (((c * 7) + (f * 13)) % 400))).ToList();
            await store.WriteAsync(new CountBatch("wide", "slow-test", [slot], rows));
            var written = Stopwatch.GetTimestamp();
            var waited = Stopwatch.StartNew();
            while (!arrived.ContainsKey(slot) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(2);
            Assert.True(arrived.TryGetValue(slot, out var at), $"frame {f} did not reach the reading client within 10 s ({fanOut.Skipped} frames skipped a laggard)");
            var after = Stopwatch.GetElapsedTime(written, at);
            if (after > slowest) slowest = after;
        }

        // The stuck client really was stuck (frames skipped it), and the other got every frame promptly.
        await quiet.CancelAsync();
        await pinging;
        Assert.True(fanOut.Skipped > 0, "the silent client took every frame: its buffers never filled, the test proves nothing");
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"slowest frame {slowest.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_client_that_falls_behind_gets_the_newest_whole_frame_instead_of_the_backlog()
    {
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", Path.Combine(_dir, "deployment.json"), "--Store:DataDirectory", Path.Combine(_dir, "store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false", "--Replay:Enabled", "false");
        using var stuck = await StuckClientAsync(new Uri(host.Address));
        await Task.Delay(300);
        var store = host.Services.GetRequiredService<ICountStore>();
        var fanOut = host.Services.GetRequiredService<FrameFanOut>();
        var frames = host.Services.GetRequiredService<HeatFrames>();

        // Slots until the client's buffers are full and frames skip it, then three more: what it missed is in the middle.
        var first = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (34 * SlotMs);
        var (written, newest, after) = (0, 0L, -1);
        while (written < 34 && (after < 0 || written < after + 3))
        {
            var slot = first + (written * SlotMs);
            var rows = Enumerable.Range(0, Side * Side).Select(c => new CountRecord(slot, "people", c, 20 + (((c * 7) + (written * 13)) % 400))).ToList();
            var sent = frames.FramesSent;
            await store.WriteAsync(new CountBatch("wide", "slow-test", [slot], rows));
            var waited = Stopwatch.StartNew();
            while (frames.FramesSent == sent && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(2);
            (written, newest) = (written + 1, slot);
            if (after < 0 && fanOut.Skipped > 0) after = written;
        }

        Assert.True(after > 0, $"the silent client's buffers never filled in {written} frames: the test proves nothing");

        // It reads again: frames come until one is of the newest slot. The skipped ones never come, and the first
        // frame after a gap is whole, so a client applying what it gets holds the newest slot exactly.
        var got = new List<HeatFrame>();
        var reader = new ServerFrames(stuck);
        var reading = Stopwatch.StartNew();
        while (!got.Any(f => f.SlotMs == newest) && reading.Elapsed < TimeSpan.FromSeconds(20))
        {
            var message = await reader.NextAsync();
            Assert.True(message is not null, $"the connection closed after {got.Count} frames");
            using var json = System.Text.Json.JsonDocument.Parse(message);
            // The handshake's answer ({}) and pings pass by.
            if (!json.RootElement.TryGetProperty("target", out var target) || target.GetString() != nameof(ILiveClient.HeatFrame)) continue;
            var f = json.RootElement.GetProperty("arguments")[0];
            got.Add(new HeatFrame(f.GetProperty("area").GetString()!, f.GetProperty("slot").GetString()!, f.GetProperty("slotMs").GetInt64(), f.GetProperty("full").GetBoolean(),
                f.GetProperty("count").GetInt32(), Convert.FromBase64String(f.GetProperty("cells").GetString()!)));
        }

        Assert.Single(got, f => f.SlotMs == newest);
        Assert.True(got.Count < written, $"the client got {got.Count} of {written} frames: a backlog, nothing skipped");
        Assert.True(fanOut.CaughtUp > 0);
        // In slot order, each once; after every gap a whole frame.
        Assert.Equal(got.Select(f => f.SlotMs).Order(), got.Select(f => f.SlotMs));
        for (var i = 1; i < got.Count; i++)
            if (got[i].SlotMs != got[i - 1].SlotMs + SlotMs) Assert.True(got[i].Full, $"frame {i} follows a gap with changes only: the map would miss what was skipped");
        Assert.Contains(got.Skip(1), f => f.Full);
        var map = new Dictionary<int, int?>();
        foreach (var frame in got)
        {
            if (frame.Full) map.Clear();
            foreach (var (cell, people, _) in frame.Rows())
                if (people == 0) map.Remove(cell);
                else map[cell] = people;
        }

        Assert.Equal(Side * Side, map.Count);
        var last = written - 1;
        Assert.All(map, c => Assert.Equal(20 + (((c.Key * 7) + (last * 13)) % 400), c.Value));
    }

    // The messages a server sends on a raw WebSocket (unmasked frames, text split by the SignalR record separator).
    private sealed class ServerFrames(Socket socket)
    {
        private readonly Queue<string> _messages = new();
        private readonly List<byte> _bytes = [];
        private readonly StringBuilder _text = new();
        private readonly byte[] _buffer = new byte[65536];

        public async Task<string?> NextAsync()
        {
            while (_messages.Count == 0)
            {
                if (!TryFrame())
                {
                    var n = await socket.ReceiveAsync(_buffer);
                    if (n == 0) return null;
                    _bytes.AddRange(_buffer.AsSpan(0, n));
                }
            }

            return _messages.Dequeue();
        }

        private bool TryFrame()
        {
            if (_bytes.Count < 2) return false;
            var length = (long)(_bytes[1] & 0x7f);
            var head = 2;
            if (length == 126)
            {
                if (_bytes.Count < 4) return false;
                (length, head) = ((_bytes[2] << 8) | _bytes[3], 4);
            }
            else if (length == 127)
            {
                if (_bytes.Count < 10) return false;
                length = 0;
                for (var i = 2; i < 10; i++) length = (length << 8) | _bytes[i];
                head = 10;
            }

            if (_bytes.Count < head + length) return false;
            var opcode = _bytes[0] & 0x0f;
            if (opcode is 0 or 1) _text.Append(Encoding.UTF8.GetString([.. _bytes.GetRange(head, (int)length)]));
            _bytes.RemoveRange(0, head + (int)length);
            var all = _text.ToString();
            var end = all.LastIndexOf('\u001e');
            if (end >= 0)
            {
                foreach (var m in all[..end].Split('\u001e')) _messages.Enqueue(m);
                _text.Clear().Append(all[(end + 1)..]);
            }

            return true;
        }
    }
}
