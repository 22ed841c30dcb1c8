using CrowdWatch.Dashboard.Ingest;

namespace CrowdWatch.Dashboard.Replay;

/// <summary>
/// The host's clock while it replays a past evening: stands still at the replay's start until <see cref="Start"/>, then
/// runs <see cref="Speed"/> times faster than the wall clock. Every part of the host that asks the time (forecast
/// refresh, the alert watcher, escalation and expiry, audit stamps) lives on it, so the replayed data look live to
/// them; timers created through it fire at the same pace. It is also the live services' ingest gate while it replays:
/// nothing is news before it starts, and a paced replay says when each slot is whole.
/// </summary>
public sealed class ReplayClock : TimeProvider, IIngestGate
{
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _origin;
    private long? _startedTimestamp;
    private DateTimeOffset? _stoppedAt;

    // Where the clock was at _anchorTimestamp; it runs from there at Speed, never past _hold.
    private DateTimeOffset _anchor;
    private long _anchorTimestamp;
    private DateTimeOffset? _hold;

    /// <summary>A clock that will run from <paramref name="origin"/> at <paramref name="speed"/> times real time.</summary>
    public ReplayClock(DateTimeOffset origin, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1.0);
        (_origin, Speed) = (origin, speed);
    }

    /// <summary>Where the clock starts: the replay's first slot.</summary>
    public DateTimeOffset Origin => _origin;

    /// <summary>Replayed seconds per real second.</summary>
    public double Speed { get; }

    /// <summary>Whether the clock runs.</summary>
    public bool Started
    {
        get
        {
            lock (_gate) return _startedTimestamp is not null;
        }
    }

    /// <inheritdoc />
    bool IIngestGate.IsNews => Started;

    /// <inheritdoc />
    public long? FirstSlotMs(long slotMs) => Paced ? _origin.ToUnixTimeMilliseconds() - slotMs : null;

    /// <summary>Whether the clock waits for the host at every slot (see <see cref="ReplayOptions.Paced"/>).</summary>
    public bool Paced { get; init; }

    /// <summary>Longest real wait of a paced replay for one step of the host.</summary>
    public TimeSpan PaceTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether the replay's history is in the store (forecasts wait for it, so that they fit on all of it).</summary>
    public bool HistoryLoaded { get; private set; }

    /// <summary>Says the history is in the store.</summary>
    public void MarkHistoryLoaded() => HistoryLoaded = true;

    private long _readyThroughMs = long.MinValue;

    /// <summary>
    /// The last slot (start, Unix ms) a paced replay has put into the store whole, every source of it: forecasts and
    /// the judge of a paced replay take no later slot, so that none sees half a slot (its people without its searches).
    /// </summary>
    public long ReadyThroughMs => Interlocked.Read(ref _readyThroughMs);

    /// <summary>Says slot <paramref name="slotMs"/> and all before it are in the store whole.</summary>
    public void MarkReady(long slotMs)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _readyThroughMs);
            if (slotMs <= seen) return;
        }
        while (Interlocked.CompareExchange(ref _readyThroughMs, slotMs, seen) != seen);
    }

    /// <summary>Starts the clock (again: no effect).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_startedTimestamp is not null) return;
            _startedTimestamp = _anchorTimestamp = System.GetTimestamp();
            _anchor = _origin;
        }
    }

    /// <summary>
    /// Lets the clock run up to <paramref name="until"/> and no further (null: without a limit). A paced replay holds
    /// the clock a little past each slot until the host has judged and forecast it, so that a busy machine slows the
    /// evening down instead of making the host skip what it had no time for. Raising the hold lets the clock go on
    /// from where it stood, without a jump.
    /// </summary>
    public void HoldAt(DateTimeOffset? until)
    {
        lock (_gate)
        {
            if (_startedTimestamp is not null)
            {
                (_anchor, _anchorTimestamp) = (NowLocked(), System.GetTimestamp());
            }

            _hold = until;
        }
    }


    /// <summary>
    /// Stops the clock where it is: the end of the replay. The evening's last state stays as it was (open alerts do
    /// not expire for want of data that will never come).
    /// </summary>
    public void Stop()
    {
        var now = GetUtcNow();
        lock (_gate) _stoppedAt ??= now;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _stoppedAt ?? (_startedTimestamp is null ? _origin : NowLocked());
    }

    private DateTimeOffset NowLocked()
    {
        var free = _anchor + (System.GetElapsedTime(_anchorTimestamp) * Speed);
        return _hold is { } h && free > h ? (h > _anchor ? h : _anchor) : free;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    // A replayed span as a real one; infinite stays infinite.
    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / Speed;

    // A timer whose later changes (PeriodicTimer sets its period that way) are scaled too.
    private sealed class ScaledTimer(ITimer inner, ReplayClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
