namespace CrowdWatch.Dashboard.Replay;

/// <summary>
/// The host's clock while it replays a past evening: stands still at the replay's start until <see cref="Start"/>, then
/// runs <see cref="Speed"/> times faster than the wall clock. Every part of the host that asks the time (forecast
/// refresh, the alert watcher, escalation and expiry, audit stamps) lives on it, so the replayed data look live to
/// them; timers created through it fire at the same pace.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _origin;
    private long? _startedTimestamp;
    private DateTimeOffset? _stoppedAt;

    /// <summary>A clock that will run from <paramref name="origin"/> at <paramref name="speed"/> times real time.</summary>
    public ReplayClock(DateTimeOffset origin, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1.0);
        (_origin, Speed) = (origin, speed);
    }

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

    /// <summary>Whether the replay's history is in the store (forecasts wait for it, so that they fit on all of it).</summary>
    public bool HistoryLoaded { get; private set; }

    /// <summary>Says the history is in the store.</summary>
    public void MarkHistoryLoaded() => HistoryLoaded = true;

    /// <summary>Starts the clock (again: no effect).</summary>
    public void Start()
    {
        lock (_gate) _startedTimestamp ??= System.GetTimestamp();
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
        long? started;
        DateTimeOffset? stopped;
        lock (_gate) (started, stopped) = (_startedTimestamp, _stoppedAt);
        return stopped ?? (started is { } s ? _origin + (System.GetElapsedTime(s) * Speed) : _origin);
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
