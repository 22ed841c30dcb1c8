namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// <see cref="Timestamps.TryParse(ReadOnlySpan{byte}, out long, out string?)"/> for a stream of rows in time order:
/// when an ISO 8601 timestamp differs from the previous one only in its seconds, only the seconds are parsed.
/// Consecutive pings mostly share their minute, so the date arithmetic runs about once a minute of data.
/// </summary>
public sealed class TimestampReader
{
    private readonly byte[] _head = new byte[16];  // yyyy-MM-ddTHH:mm
    private readonly byte[] _tail = new byte[32];  // what follows the seconds: fraction and offset
    private int _tailLength = -1;
    private long _minuteMs;                        // the instant of :00 seconds under that tail

    /// <summary>Parses one timestamp; same results as <see cref="Timestamps.TryParse(ReadOnlySpan{byte}, out long, out string?)"/>.</summary>
    public bool TryParse(ReadOnlySpan<byte> text, out long unixMs, out string? problem)
    {
        var s = Timestamps.Trim(text);
        if (_tailLength >= 0 && s.Length == 19 + _tailLength && s[16] == ':' && s[..16].SequenceEqual(_head) && s[19..].SequenceEqual(_tail.AsSpan(0, _tailLength)))
        {
            var tens = (uint)(s[17] - '0');
            var ones = (uint)(s[18] - '0');
            if (tens <= 5 && ones <= 9)
            {
                unixMs = _minuteMs + ((tens * 10 + ones) * 1000);
                problem = null;
                return true;
            }
        }

        if (!Timestamps.TryParse(s, out unixMs, out problem)) return false;
        if (s.Length >= 19 && s.Length - 19 <= _tail.Length && s[4] == '-' && s[16] == ':')
        {
            s[..16].CopyTo(_head);
            s[19..].CopyTo(_tail);
            _tailLength = s.Length - 19;
            _minuteMs = unixMs - (((s[17] - '0') * 10 + (s[18] - '0')) * 1000L);
        }
        else
        {
            _tailLength = -1;
        }

        return true;
    }
}
