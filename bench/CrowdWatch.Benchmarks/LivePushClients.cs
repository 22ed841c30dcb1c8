using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// The far end of the live-push benchmark, a process of its own: N dashboards on the live hub over WebSockets (the
/// SignalR MessagePack protocol spoken directly, as the page speaks it: handshake, subscribe, keep-alive pings), spread round-robin over the nodes.
/// Each notes when a heat frame's last byte arrived; the parent says on stdin when it wrote each slot ("wrote SLOT
/// TICKS"), and this process answers "frame SLOT" once every client has it, then "all P50 P99 MAX COUNT" (ms) on "done".
/// Clients read every byte of every frame but do not parse the cells: what is timed is delivery, not a browser's drawing.
/// </summary>
internal static class LivePushClients
{
    private static readonly MessagePackHubProtocol Protocol = new();

    public static async Task RunAsync(string[] nodes, int clients, string area)
    {
        var arrivals = new ConcurrentDictionary<long, ConcurrentBag<long>>();
        var sockets = new List<ClientWebSocket>();
        using var stop = new CancellationTokenSource();
        var loops = new List<Task>();
        var subscribe = Packed(new InvocationMessage("Subscribe", [area, null]));
        for (var i = 0; i < clients; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri($"{nodes[i % nodes.Length].Replace("http", "ws", StringComparison.Ordinal)}/hubs/live"), stop.Token);
            await SendAsync(socket, "{\"protocol\":\"messagepack\",\"version\":1}\u001e");
            await socket.SendAsync(subscribe, WebSocketMessageType.Binary, true, CancellationToken.None);
            sockets.Add(socket);
            loops.Add(ReceiveAsync(socket, arrivals, stop.Token));
            if (i % 500 == 499) Console.Error.Write($"\rclients {i + 1}/{clients}");
        }

        Console.Error.WriteLine();
        var pings = PingAsync(sockets, stop.Token);
        Console.WriteLine("ready");
        var latencies = new List<double>();
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts[0] == "done") break;
            var (slot, written) = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            var waited = Stopwatch.StartNew();
            while ((!arrivals.TryGetValue(slot, out var got) || got.Count < clients) && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(2);
            var bag = arrivals.GetValueOrDefault(slot) ?? [];
            if (parts.Length < 4 || parts[3] != "warm") latencies.AddRange(bag.Select(t => TimeSpan.FromTicks(t - written).TotalMilliseconds));
            Console.WriteLine($"frame {slot} {bag.Count}");
        }

        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all {P(0.5):0.0} {P(0.99):0.0} {(sorted.Length == 0 ? double.NaN : sorted[^1]):0.0} {sorted.Length}"));
        await stop.CancelAsync();
        foreach (var s in sockets) s.Abort();
        try
        {
            await Task.WhenAll(loops.Append(pings));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static byte[] Packed(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Protocol.WriteMessage(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // The server drops a client it has not heard from in 30 s: a ping from each every 10 s.
    private static async Task PingAsync(List<ClientWebSocket> sockets, CancellationToken cancellationToken)
    {
        var ping = Packed(PingMessage.Instance);
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            foreach (var s in sockets) await s.SendAsync(ping, WebSocketMessageType.Binary, true, cancellationToken);
        }
    }

    // Reads whole WebSocket messages through a buffer a frame fits in; each SignalR message in them starts with its
    // length (a varint). The slot is read from a heat frame's first bytes (the map key "SlotMs" and the integer after
    // it); the rest of the frame is skipped, not parsed.
    private static async Task ReceiveAsync(ClientWebSocket socket, ConcurrentDictionary<long, ConcurrentBag<long>> arrivals, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        var handshake = true;
        var left = 0L;
        var head = new byte[256];
        var headLength = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, cancellationToken);
                if (r.MessageType == WebSocketMessageType.Close) return;
                var span = buffer.AsSpan(0, r.Count);
                if (handshake)
                {
                    // The handshake answer is JSON ending in the record separator; binary messages follow.
                    var end = span.IndexOf((byte)0x1e);
                    if (end < 0) continue;
                    handshake = false;
                    span = span[(end + 1)..];
                }

                while (span.Length > 0)
                {
                    if (left == 0)
                    {
                        if (!TryLength(span, out var length, out var used)) break;
                        span = span[used..];
                        (left, headLength) = (length, 0);
                    }

                    var take = (int)Math.Min(left, span.Length);
                    if (headLength < head.Length)
                    {
                        var n = Math.Min(take, head.Length - headLength);
                        span[..n].CopyTo(head.AsSpan(headLength));
                        headLength += n;
                    }

                    left -= take;
                    span = span[take..];
                    if (left == 0)
                    {
                        if (SlotOf(head, headLength) is { } s) arrivals.GetOrAdd(s, _ => []).Add(DateTime.UtcNow.Ticks);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A message's length prefix: 7 bits a byte, low first (a prefix split across two reads never happens with
    // messages sent whole, which SignalR does).
    private static bool TryLength(ReadOnlySpan<byte> span, out long length, out int used)
    {
        (length, used) = (0, 0);
        for (var shift = 0; used < span.Length && used < 5; shift += 7)
        {
            var b = span[used++];
            length |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return true;
        }

        return false;
    }

    private static readonly byte[] HeatFrameTarget = [0xa9, .. "HeatFrame"u8];
    private static readonly byte[] SlotMsKey = [0xa6, .. "SlotMs"u8];

    private static long? SlotOf(byte[] head, int length)
    {
        var start = head.AsSpan(0, length);
        if (start.IndexOf(HeatFrameTarget) < 0) return null;
        var at = start.IndexOf(SlotMsKey);
        if (at < 0) return null;
        var value = new MessagePackReader(head.AsMemory((at + SlotMsKey.Length)..length));
        return value.ReadInt64();
    }
}
