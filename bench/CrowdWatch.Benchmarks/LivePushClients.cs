using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// The far end of the live-push benchmark, a process of its own: N dashboards on the live hub over WebSockets (the
/// SignalR JSON protocol spoken directly: handshake, subscribe, keep-alive pings), spread round-robin over the nodes.
/// Each notes when a heat frame's last byte arrived; the parent says on stdin when it wrote each slot ("wrote SLOT
/// TICKS"), and this process answers "frame SLOT" once every client has it, then "all P50 P99 MAX COUNT" (ms) on "done".
/// Clients read every byte of every frame but do not parse the cells: what is timed is delivery, not a browser's drawing.
/// </summary>
internal static class LivePushClients
{
    public static async Task RunAsync(string[] nodes, int clients, string area)
    {
        var arrivals = new ConcurrentDictionary<long, ConcurrentBag<long>>();
        var sockets = new List<ClientWebSocket>();
        using var stop = new CancellationTokenSource();
        var loops = new List<Task>();
        for (var i = 0; i < clients; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri($"{nodes[i % nodes.Length].Replace("http", "ws", StringComparison.Ordinal)}/hubs/live"), stop.Token);
            await SendAsync(socket, "{\"protocol\":\"json\",\"version\":1}\u001e");
            await SendAsync(socket, $"{{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[\"{area}\",null]}}\u001e");
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

    // The server drops a client it has not heard from in 30 s: a ping from each every 10 s.
    private static async Task PingAsync(List<ClientWebSocket> sockets, CancellationToken cancellationToken)
    {
        var ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            foreach (var s in sockets) await s.SendAsync(ping, WebSocketMessageType.Text, true, cancellationToken);
        }
    }

    // Reads messages through a 16 KB buffer: the slot is in a frame's first bytes, its end is the record separator.
    private static async Task ReceiveAsync(ClientWebSocket socket, ConcurrentDictionary<long, ConcurrentBag<long>> arrivals, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var head = new StringBuilder();
        long? slot = null;
        var atStart = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, cancellationToken);
                if (r.MessageType == WebSocketMessageType.Close) return;
                var span = buffer.AsSpan(0, r.Count);
                while (span.Length > 0)
                {
                    var end = span.IndexOf((byte)0x1e);
                    var part = end < 0 ? span : span[..end];
                    if (atStart || head.Length < 256) head.Append(Encoding.UTF8.GetString(part[..Math.Min(part.Length, 256)]));
                    atStart = false;
                    slot ??= SlotOf(head);
                    if (end < 0) break;
                    if (slot is { } s) arrivals.GetOrAdd(s, _ => []).Add(DateTime.UtcNow.Ticks);
                    (head, slot, atStart) = (new StringBuilder(), null, true);
                    span = span[(end + 1)..];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long? SlotOf(StringBuilder head)
    {
        var text = head.ToString();
        if (!text.Contains("\"HeatFrame\"", StringComparison.Ordinal)) return null;
        var at = text.IndexOf("\"slotMs\":", StringComparison.Ordinal);
        if (at < 0) return null;
        var digits = new string([.. text[(at + 9)..].TakeWhile(char.IsAsciiDigit)]);
        // Whole only once a character follows it (a chunk may end inside the number).
        return at + 9 + digits.Length < text.Length && digits.Length > 0 ? long.Parse(digits, CultureInfo.InvariantCulture) : null;
    }
}
