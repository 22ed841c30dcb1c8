namespace CrowdWatch.Geo.Time;

/// <summary>How a wall-clock time maps to instants in a time zone.</summary>
public enum LocalTimeKind
{
    /// <summary>One instant.</summary>
    Exact,

    /// <summary>Two instants: the hour the clocks go back repeats (the first under daylight time, the second under standard time).</summary>
    Repeated,

    /// <summary>No instant: the hour the clocks go forward is skipped.</summary>
    Skipped,
}

/// <summary>
/// Wall-clock times of files that carry no UTC offset, placed in the zone they were recorded in. The rule for the
/// two days a year where that is not one-to-one: a time in the skipped spring hour names no instant and is refused;
/// a time in the repeated autumn hour is the first (daylight) occurrence, and a second row for the same series and
/// time is the second (standard) occurrence, as a counter that logs every hour writes it.
/// </summary>
public static class LocalInstants
{
    /// <summary>
    /// The instant of wall-clock time <paramref name="wallMs"/> (Unix ms of that date and time read as UTC) in
    /// <paramref name="zone"/>; for a repeated time <paramref name="second"/> picks the later instant.
    /// </summary>
    public static LocalTimeKind Resolve(long wallMs, TimeZoneInfo zone, bool second, out long unixMs)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(wallMs), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            unixMs = 0;
            return LocalTimeKind.Skipped;
        }

        if (zone.IsAmbiguousTime(wall))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(wall);
            // The larger offset is the daylight one, which comes first.
            var offset = second ? offsets.Min() : offsets.Max();
            unixMs = wallMs - (long)offset.TotalMilliseconds;
            return LocalTimeKind.Repeated;
        }

        unixMs = wallMs - (long)zone.GetUtcOffset(wall).TotalMilliseconds;
        return LocalTimeKind.Exact;
    }
}
