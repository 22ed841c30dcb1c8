using System.Runtime.CompilerServices;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Parses ingest timestamps to Unix milliseconds: ISO 8601 with a UTC offset (<c>2026-10-01T20:15:00+08:00</c>,
/// <c>...Z</c>, seconds optional, fractions of a second allowed), or Unix seconds or milliseconds (told apart by size).
/// A local time without an offset is refused: guessing its zone would shift every slot. Every form is held to the
/// same years, <see cref="FirstYear"/> to <see cref="LastYear"/>: this is the one time rule of ingest, queries and
/// commands.
/// </summary>
public static class Timestamps
{
    /// <summary>What a timestamp field must look like, for error messages.</summary>
    public const string Expected = "ISO 8601 with a UTC offset (2026-10-01T20:15:00+08:00 or ...Z) or Unix seconds or milliseconds";

    /// <summary>The first year a timestamp may be in.</summary>
    public const int FirstYear = 2000;

    /// <summary>The last year a timestamp may be in.</summary>
    public const int LastYear = 2099;

    // Plausible range: 2000-01-01 .. 2100-01-01 UTC. Outside it a value is almost surely in the wrong unit, and slot
    // arithmetic near year 9999 would overflow.
    private const long MinMs = 946_684_800_000;
    private const long MaxMs = 4_102_444_800_000;

    /// <summary>Whether <paramref name="unixMs"/> lies in the years every timestamp is held to.</summary>
    public static bool InRange(long unixMs) => unixMs is >= MinMs and < MaxMs;

    /// <summary>Whether <paramref name="date"/> lies in the years every timestamp is held to.</summary>
    public static bool InRange(DateOnly date) => date.Year is >= FirstYear and <= LastYear;

    /// <summary>Why an instant outside <see cref="InRange(long)"/> is refused.</summary>
    public static string OutOfRange(long unixMs) =>
        $"{DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, -62135596800000, 253402300799999)):yyyy-MM-dd} is outside {FirstYear}..{LastYear}";

    /// <summary>Parses a UTF-8 timestamp; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out long unixMs, out string? problem)
    {
        s = Trim(s);
        unixMs = 0;
        problem = null;
        if (s.IsEmpty) { problem = "empty; expected " + Expected; return false; }
        bool ok;
        if (s.Length >= 16 && s[4] == '-') ok = TryIso(s, out unixMs, out problem);
        else ok = TryUnix(s, out unixMs, out problem);
        if (!ok) return false;
        if (!InRange(unixMs))
        {
            problem = OutOfRange(unixMs) + " (wrong unit?); expected " + Expected;
            return false;
        }

        return true;
    }

    /// <summary>Parses a timestamp given as text.</summary>
    public static bool TryParse(string s, out long unixMs, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(System.Text.Encoding.UTF8.GetBytes(s), out unixMs, out problem);
    }

    private static bool TryUnix(ReadOnlySpan<byte> s, out long unixMs, out string? problem)
    {
        unixMs = 0;
        problem = null;
        var dot = s.IndexOf((byte)'.');
        var whole = dot < 0 ? s : s[..dot];
        if (whole.IsEmpty || whole.Length > 15 || !AllDigits(whole) || (dot >= 0 && !AllDigits(s[(dot + 1)..])))
        {
            problem = "not a timestamp; expected " + Expected;
            return false;
        }

        long value = 0;
        foreach (var b in whole) value = (value * 10) + (b - '0');
        // Seconds until 5138 are below 1e11; milliseconds since 1973 are above it.
        if (value >= 100_000_000_000)
        {
            unixMs = value;
        }
        else
        {
            unixMs = value * 1000;
            if (dot >= 0)
            {
                var frac = s[(dot + 1)..];
                var ms = 0;
                for (var i = 0; i < 3; i++) ms = (ms * 10) + (i < frac.Length ? frac[i] - '0' : 0);
                unixMs += ms;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses a timestamp that may lack a UTC offset: with an offset (or as Unix time) <paramref name="ms"/> is the
    /// instant and <paramref name="local"/> false; without one it is the wall-clock time read as if it were UTC, for
    /// <see cref="Time.LocalInstants"/> to place in a time zone, and <paramref name="local"/> true.
    /// </summary>
    public static bool TryParseWall(ReadOnlySpan<byte> s, out long ms, out bool local, out string? problem)
    {
        s = Trim(s);
        local = false;
        if (s.Length < 16 || s[4] != '-' || !TryIso(s, out ms, out problem, allowLocal: true, out var hasOffset) || hasOffset) return TryParse(s, out ms, out problem);
        local = true;
        if (!InRange(ms))
        {
            problem = OutOfRange(ms) + "; expected " + Expected;
            return false;
        }

        return true;
    }

    private static bool TryIso(ReadOnlySpan<byte> s, out long unixMs, out string? problem) => TryIso(s, out unixMs, out problem, false, out _);

    private static bool TryIso(ReadOnlySpan<byte> s, out long unixMs, out string? problem, bool allowLocal, out bool hasOffset)
    {
        unixMs = 0;
        hasOffset = false;
        problem = null;
        if (!(D(s, 0, 4, out var year) && s[4] == '-' && D(s, 5, 2, out var month) && s[7] == '-' && D(s, 8, 2, out var day)
            && (s[10] == 'T' || s[10] == ' ' || s[10] == 't') && D(s, 11, 2, out var hour) && s[13] == ':' && D(s, 14, 2, out var minute)))
        {
            problem = "not a timestamp; expected " + Expected;
            return false;
        }

        // Seconds may be left out (a slot starts on the minute): the same checks hold for both forms.
        var second = 0;
        var i = 16;
        if (s.Length > 16 && s[16] == ':')
        {
            if (!D(s, 17, 2, out second)) { problem = "not a timestamp; expected " + Expected; return false; }
            i = 19;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            problem = "date or time out of range; expected " + Expected;
            return false;
        }

        var millis = 0;
        if (i == 19 && i < s.Length && (s[i] == '.' || s[i] == ','))
        {
            i++;
            var digits = 0;
            while (i < s.Length && IsDigit(s[i]))
            {
                if (digits < 3) millis = (millis * 10) + (s[i] - '0');
                digits++;
                i++;
            }

            if (digits == 0) { problem = "fraction of a second has no digits; expected " + Expected; return false; }
            for (; digits < 3; digits++) millis *= 10;
        }

        long offsetMinutes;
        hasOffset = i < s.Length;
        if (i == s.Length && !allowLocal)
        {
            problem = "has no UTC offset (local time is ambiguous); expected " + Expected;
            return false;
        }

        if (i == s.Length)
        {
            offsetMinutes = 0;
        }
        else if (s[i] is (byte)'Z' or (byte)'z' && i + 1 == s.Length)
        {
            offsetMinutes = 0;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            var sign = s[i] == '+' ? 1 : -1;
            var rest = s[(i + 1)..];
            int oh, om;
            if (rest.Length == 5 && rest[2] == ':' && D(rest, 0, 2, out oh) && D(rest, 3, 2, out om)) { }
            else if (rest.Length == 4 && D(rest, 0, 2, out oh) && D(rest, 2, 2, out om)) { }
            else if (rest.Length == 2 && D(rest, 0, 2, out oh)) { om = 0; }
            else { problem = "UTC offset is malformed; expected " + Expected; return false; }
            if (oh > 18 || om > 59) { problem = "UTC offset out of range; expected " + Expected; return false; }
            offsetMinutes = sign * ((oh * 60) + om);
        }
        else
        {
            problem = "unexpected text after the time; expected " + Expected;
            return false;
        }

        var days = DaysFromCivil(year, month, day);
        unixMs = (((((days * 24) + hour) * 60) + minute - offsetMinutes) * 60 + second) * 1000 + millis;
        return true;
    }

    // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097L) + doe - 719468;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool D(ReadOnlySpan<byte> s, int at, int n, out int value)
    {
        value = 0;
        if (at + n > s.Length) return false;
        for (var k = 0; k < n; k++)
        {
            var c = s[at + k];
            if (!IsDigit(c)) return false;
            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool AllDigits(ReadOnlySpan<byte> s)
    {
        foreach (var c in s) if (!IsDigit(c)) return false;
        return true;
    }

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        var b = s.Length;
        while (a < b && s[a] is (byte)' ' or (byte)'\t') a++;
        while (b > a && s[b - 1] is (byte)' ' or (byte)'\t') b--;
        return s[a..b];
    }
}
