using System.Runtime.CompilerServices;

namespace CrowdWatch.Geo.Time;

/// <summary>
/// Aligns instants to slots of a fixed length on the wall clock of an IANA time zone: a 15-minute slot starts at
/// :00, :15, :30 or :45 local time, a 60-minute slot on the local hour (in Kathmandu that is :15 past the UTC hour).
/// Around a daylight-saving change each instant belongs to exactly one slot: slots are keyed by their UTC start, so
/// the repeated local hour of an autumn change gives two distinct slots, and a slot that an offset change of less
/// than its length would overlap (Lord Howe's 30-minute shift under 60-minute slots) starts at the change instead.
/// </summary>
public sealed class SlotClock
{
    /// <summary>The slot lengths supported, in minutes: each divides an hour, so slots tile every day.</summary>
    public static readonly IReadOnlyList<int> SupportedMinutes = [5, 10, 15, 30, 60];

    // Offsets are constant within each UTC quarter hour: every tz database transition since 1970 falls on one.
    private const long BucketMs = 15 * 60 * 1000;

    private readonly long _lengthMs;
    private long _bucket = long.MinValue;
    private long _offsetMs;
    private long _transitionFloorMs;

    // The instants [_hitFrom, _hitTo) all belong to the slot starting at _hitStart: one compare pair per point
    // instead of two 64-bit divisions on the hot path.
    private long _hitFrom = long.MaxValue;
    private long _hitTo = long.MinValue;
    private long _hitStart;

    /// <summary>Creates a clock for slots of <paramref name="minutes"/> in <paramref name="timeZone"/>.</summary>
    public SlotClock(int minutes, TimeZoneInfo timeZone)
    {
        if (!SupportedMinutes.Contains(minutes))
            throw new ArgumentOutOfRangeException(nameof(minutes), minutes, $"slot length must be one of {string.Join(", ", SupportedMinutes)} minutes");
        ArgumentNullException.ThrowIfNull(timeZone);
        Minutes = minutes;
        TimeZone = timeZone;
        _lengthMs = minutes * 60_000L;
    }

    /// <summary>Slot length in minutes.</summary>
    public int Minutes { get; }

    /// <summary>The zone slots are aligned in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Creates a clock from an IANA zone id such as <c>Asia/Shanghai</c>.</summary>
    public static SlotClock Create(int minutes, string ianaZone)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(ianaZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"time zone '{ianaZone}' is not a known IANA zone id (e.g. Asia/Shanghai)", nameof(ianaZone), e);
        }

        return new SlotClock(minutes, zone);
    }

    /// <summary>The UTC start, in Unix milliseconds, of the slot holding the instant <paramref name="unixMs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long SlotStartMs(long unixMs) => unixMs >= _hitFrom && unixMs < _hitTo ? _hitStart : Compute(unixMs);

    private long Compute(long unixMs)
    {
        var bucket = FloorDiv(unixMs, BucketMs);
        if (bucket != _bucket) Rebucket(bucket);
        var aligned = (FloorDiv(unixMs + _offsetMs, _lengthMs) * _lengthMs) - _offsetMs;
        var start = aligned < _transitionFloorMs ? _transitionFloorMs : aligned;
        var bucketStart = bucket * BucketMs;
        _hitStart = start;
        _hitFrom = Math.Max(start, bucketStart);
        _hitTo = Math.Min(aligned + _lengthMs, bucketStart + BucketMs);
        return start;
    }

    /// <summary>The slot holding <paramref name="instant"/>.</summary>
    public Slot SlotOf(DateTimeOffset instant)
    {
        var start = SlotStartMs(instant.ToUnixTimeMilliseconds());
        return SlotStartingAt(start);
    }

    /// <summary>The slot whose UTC start is <paramref name="startMs"/> (as returned by <see cref="SlotStartMs"/>).</summary>
    public Slot SlotStartingAt(long startMs)
    {
        var offset = TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(startMs));
        var end = SlotStartMs(startMs + _lengthMs);
        // A slot cut short by an offset change ends where the next one begins.
        for (var probe = startMs + BucketMs; probe < startMs + _lengthMs; probe += BucketMs)
        {
            var next = SlotStartMs(probe);
            if (next != startMs) { end = next; break; }
        }

        return new Slot(DateTimeOffset.FromUnixTimeMilliseconds(startMs), DateTimeOffset.FromUnixTimeMilliseconds(end), offset);
    }

    private void Rebucket(long bucket)
    {
        _bucket = bucket;
        var at = bucket * BucketMs;
        _offsetMs = (long)TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(at)).TotalMilliseconds;
        // Walk back over the quarter hours that the aligned slot would cover; if the offset differed there, the
        // slot may not start before the change.
        _transitionFloorMs = long.MinValue;
        var alignedStart = (FloorDiv(at + _offsetMs, _lengthMs) * _lengthMs) - _offsetMs;
        for (var probe = at - BucketMs; probe >= alignedStart; probe -= BucketMs)
        {
            var o = (long)TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(probe)).TotalMilliseconds;
            if (o != _offsetMs) { _transitionFloorMs = probe + BucketMs; break; }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
