using System.Globalization;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.Time;

/// <summary>An instant as a person types it into a query or a command: ISO 8601 with an offset, seconds optional.</summary>
public static class Instants
{
    /// <summary>What a bad instant should have looked like, for error messages.</summary>
    public const string Expected = "an ISO 8601 instant with an offset in 2000..2099, e.g. 2025-10-01T18:00+08:00";

    /// <summary>Reads <paramref name="text"/> as Unix ms; false when it is not an instant with an offset.</summary>
    public static bool TryParse(string? text, out long unixMs)
    {
        unixMs = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        // One rule with ingest: seconds optional, an offset required, the same years.
        return Timestamps.TryParse(text, out unixMs, out _);
    }

    /// <summary>An instant as people read it in <paramref name="zone"/>: <c>2025-10-01 18:00 +08:00</c>.</summary>
    public static string Local(long unixMs, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}
