namespace CrowdWatch.Geo.Time;

/// <summary>A time slot: a half-open interval [<see cref="Start"/>, <see cref="End"/>) aligned in local time.</summary>
/// <param name="Start">First instant of the slot, UTC.</param>
/// <param name="End">First instant after the slot, UTC (a slot cut by an offset change may be shorter).</param>
/// <param name="UtcOffset">The zone's offset from UTC at <see cref="Start"/>.</param>
public readonly record struct Slot(DateTimeOffset Start, DateTimeOffset End, TimeSpan UtcOffset)
{
    /// <summary>The start as local wall-clock time with its offset, e.g. 2026-10-01T20:00:00+08:00.</summary>
    public DateTimeOffset LocalStart => Start.ToOffset(UtcOffset);
}
