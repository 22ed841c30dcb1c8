using System.Globalization;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// Moves the timestamps of CSV records (first column: Unix ms or ISO 8601) by a whole number of slots, so that a
/// recorded evening can be replayed as if it were happening now; time of day moves by the same amount throughout.
/// </summary>
/// <param name="ShiftMs">How far to move every timestamp, ms.</param>
internal readonly record struct RecordShift(long ShiftMs)
{
    /// <summary>The shift that puts <paramref name="lastMs"/> in the slot of <paramref name="nowMs"/> (whole slots of <paramref name="slotMs"/>).</summary>
    public static RecordShift EndingAt(long lastMs, long nowMs, long slotMs) => new(Math.Max(0, (nowMs / slotMs * slotMs) - (lastMs / slotMs * slotMs)));

    /// <summary>A record's timestamp (Unix ms), if its first column holds one.</summary>
    public static long? TimestampOf(string line)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        var first = comma < 0 ? line : line[..comma];
        if (long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return ms;
        return DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.ToUnixTimeMilliseconds() : null;
    }

    /// <summary>The record moved; one whose first column is no timestamp is left as it is (the service rejects it, naming the line).</summary>
    public string Apply(string line)
    {
        if (ShiftMs == 0) return line;
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        var first = comma < 0 ? line : line[..comma];
        var rest = comma < 0 ? "" : line[comma..];
        if (long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            return (ms + ShiftMs).ToString(CultureInfo.InvariantCulture) + rest;
        return DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.AddMilliseconds(ShiftMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) + rest
            : line;
    }
}
