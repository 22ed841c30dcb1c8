using System.Collections.Concurrent;
using CrowdWatch.Dashboard.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// Hands each round of heat frames to this node's live connections, one frame in flight per connection. A connection
/// whose last frame has not gone out yet (its transport buffer full: a frozen tab, a phone in a tunnel) is skipped, and
/// when that write completes it gets the newest whole frame of what it watches instead of the backlog: it misses the
/// slots in between (which the time line and history still serve), not the present. So a laggard holds at most its
/// transport buffer (<see cref="LiveOptions.ConnectionBufferBytes"/>) and one frame, and never delays anyone else.
/// </summary>
public sealed partial class FrameFanOut(ILogger<FrameFanOut> log)
{
    private readonly ConcurrentDictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FrameRound> _newest = new(StringComparer.Ordinal);
    private long _skipped;
    private long _caughtUp;

    /// <summary>Frames not written to a connection because its previous one had not gone out yet.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Whole frames written to connections that had fallen behind, in place of what they missed.</summary>
    public long CaughtUp => Interlocked.Read(ref _caughtUp);

    /// <summary>Connections on this node now.</summary>
    public int Connections => _watchers.Count;

    /// <summary>Whether a connection of <paramref name="audience"/> is on this node now.</summary>
    public bool Has(Audience audience) => _watchers.Values.Any(w => w.Audience == audience);

    /// <summary>The newest round of <paramref name="area"/> handed out on this node; null before the first.</summary>
    public FrameRound? Newest(string area) => _newest.GetValueOrDefault(area);

    /// <summary>A connection opened: it watches nothing until it subscribes; its key decides its audience.</summary>
    public void Connected(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _watchers[connection.ConnectionId] = new Watcher(connection, AudienceOf(connection.User));
    }

    /// <summary>A connection closed.</summary>
    public void Disconnected(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _watchers.TryRemove(connection.ConnectionId, out _);
    }

    /// <summary>The audience of a caller: operators and admins get exact frames, everyone else viewers' frames.</summary>
    public static Audience AudienceOf(System.Security.Claims.ClaimsPrincipal? user) => user is not null && Viewing.SeesExactCounts(user) ? Audience.Operators : Audience.Viewers;

    /// <summary>
    /// Connection <paramref name="connectionId"/> watches <paramref name="area"/>'s frames: the whole area, or only the
    /// cells of <paramref name="places"/> (zone place ids), added to what it watched before.
    /// </summary>
    public void Watch(string connectionId, string area, IReadOnlyCollection<string>? places)
    {
        if (!_watchers.TryGetValue(connectionId, out var w)) return;
        lock (w.Gate)
        {
            if (places is null || places.Count == 0) w.Areas[area] = null;
            else if (!w.Areas.TryGetValue(area, out var had)) w.Areas[area] = [.. places];
            else if (had is not null) had.UnionWith(places);
        }
    }

    /// <summary>Hands <paramref name="round"/> to every connection watching its area (and keeps it as the area's newest).</summary>
    public void Deliver(FrameRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        _newest[round.Area] = round;
        foreach (var w in _watchers.Values)
        {
            HashSet<string>? places;
            lock (w.Gate)
            {
                if (!w.Areas.TryGetValue(round.Area, out places)) continue;
                // A zone watcher's places are copied: a subscription may add to them while the frames go out.
                if (places is not null) places = [.. places];
                if (w.Busy)
                {
                    w.Behind.Add(round.Area);
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                w.Busy = true;
            }

            Pump(w, MessagesOf(round, w.Audience, places, whole: false));
        }
    }

    /// <summary>Tells the connections watching all of <paramref name="area"/> of a new forecast run (small and rare: never skipped).</summary>
    public void Notify(string area, ForecastNotice notice)
    {
        var message = new SerializedHubMessage(new InvocationMessage(nameof(ILiveClient.ForecastUpdated), [notice]));
        foreach (var w in _watchers.Values)
        {
            lock (w.Gate)
                if (!w.Areas.TryGetValue(area, out var places) || places is not null) continue;
            _ = Observe(w.Connection.WriteAsync(message, CancellationToken.None));
        }
    }

    private static SerializedHubMessage[] MessagesOf(FrameRound round, Audience audience, HashSet<string>? places, bool whole)
    {
        if (places is null) return round.Message(audience, null, whole) is { } m ? [m] : [];
        var messages = new List<SerializedHubMessage>(places.Count);
        foreach (var p in places)
            if (round.Message(audience, p, whole) is { } m) messages.Add(m);
        return [.. messages];
    }

    // Writes the messages, then, while the connection fell behind meanwhile, the newest whole frames of what it missed.
    // A write that completes at once (the usual case: room in the buffer) goes on here without a task.
    private void Pump(Watcher w, SerializedHubMessage[] messages)
    {
        while (true)
        {
            for (var i = 0; i < messages.Length; i++)
            {
                var writing = w.Connection.WriteAsync(messages[i], CancellationToken.None);
                if (!writing.IsCompletedSuccessfully)
                {
                    _ = FinishAsync(w, writing, messages, i + 1);
                    return;
                }
            }

            if (!TakeBehind(w, out messages)) return;
        }
    }

    private async Task FinishAsync(Watcher w, ValueTask writing, SerializedHubMessage[] messages, int next)
    {
        try
        {
            await writing.ConfigureAwait(false);
            for (var i = next; i < messages.Length; i++) await w.Connection.WriteAsync(messages[i], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connection is going: it is forgotten when it closes.
            WriteFailed(log, e, w.Connection.ConnectionId);
            lock (w.Gate) w.Behind.Clear();
        }

        if (TakeBehind(w, out var whole)) Pump(w, whole);
    }

    // The whole newest frame of one area the connection fell behind on; false (and no longer busy) when it is current.
    private bool TakeBehind(Watcher w, out SerializedHubMessage[] messages)
    {
        while (true)
        {
            string area;
            HashSet<string>? places;
            lock (w.Gate)
            {
                if (w.Behind.Count == 0)
                {
                    w.Busy = false;
                    messages = [];
                    return false;
                }

                area = w.Behind.First();
                w.Behind.Remove(area);
                places = w.Areas.GetValueOrDefault(area) is { } watched ? [.. watched] : null;
            }

            if (_newest.TryGetValue(area, out var round))
            {
                messages = MessagesOf(round, w.Audience, places, whole: true);
                Interlocked.Increment(ref _caughtUp);
                return true;
            }
        }
    }

    private async Task Observe(ValueTask writing)
    {
        try
        {
            await writing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            WriteFailed(log, e, "notice");
        }
    }

    private sealed class Watcher(HubConnectionContext connection, Audience audience)
    {
        public Lock Gate { get; } = new();

        public HubConnectionContext Connection { get; } = connection;

        public Audience Audience { get; } = audience;

        // The areas watched: null for the whole area, else the zones' place ids.
        public Dictionary<string, HashSet<string>?> Areas { get; } = new(StringComparer.Ordinal);

        // A frame is being written: the next goes only once it is out.
        public bool Busy { get; set; }

        // Areas whose frames were skipped while busy: their newest whole frame goes next.
        public HashSet<string> Behind { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live frame to {Connection} failed")]
    private static partial void WriteFailed(ILogger logger, Exception exception, string connection);
}
