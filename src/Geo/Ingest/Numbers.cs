using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Parses decimal numbers from UTF-8 without allocating. Plain decimals of up to 15 significant digits (every
/// coordinate a GPS gives) take an exact fast path: the digits as an integer divided by a power of ten, both exact
/// doubles, so IEEE division rounds correctly. Anything else goes to the framework's parser.
/// </summary>
public static class Numbers
{
    private static readonly double[] PowersOf10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>Parses a finite number; false for empty text, junk, NaN or infinities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ReadOnlySpan<byte> s, out double value)
    {
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+')) { negative = s[0] == '-'; i = 1; }
        ulong mantissa = 0;
        var digits = 0;
        var fraction = 0;
        var start = i;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) break;
            mantissa = (mantissa * 10) + d;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            for (; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9) break;
                mantissa = (mantissa * 10) + d;
                digits++;
                fraction++;
            }
        }

        if (i == s.Length && digits > 0 && digits <= 15 && i > start)
        {
            var v = mantissa / PowersOf10[fraction];
            value = negative ? -v : v;
            return true;
        }

        return Slow(s, out value);
    }

    /// <summary>
    /// What to say about a field that did not parse as a number. A value that is not a number cannot be a
    /// coordinate, so a short excerpt of it is safe to show.
    /// </summary>
    internal static string DescribeBad(ReadOnlySpan<byte> text, string expected)
    {
        var t = Timestamps.Trim(text);
        if (t.IsEmpty) return "empty; expected " + expected;
        var shown = System.Text.Encoding.UTF8.GetString(t[..Math.Min(t.Length, 24)]);
        return TryParse(t, out _) ? $"'{shown}' is out of range; expected {expected}" : $"'{shown}' is not a number; expected {expected}";
    }

    private static bool Slow(ReadOnlySpan<byte> s, out double value)
    {
        s = Timestamps.Trim(s);
        if (s.IsEmpty || !Utf8Parser.TryParse(s, out value, out var consumed) || consumed != s.Length || !double.IsFinite(value))
        {
            value = 0;
            return false;
        }

        return true;
    }
}
