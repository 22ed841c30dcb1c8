using CrowdWatch.Geo.Time;

namespace CrowdWatch.Geo.Binning;

/// <summary>
/// Sums additive values per (cell, slot): map-search heat, or named channels of pre-aggregated counts (inflow and
/// outflow from turnstiles, bike-share docks, operators' counts). Slots close, like the ping binner's, once the
/// newest row is <c>lateness</c> past their end. Not thread-safe.
/// </summary>
public sealed class SumBinner : ISumTarget
{
    /// <summary>The channel name under which search heat is kept.</summary>
    public const string SearchChannel = "search";

    private readonly string _area;
    private readonly int _cells;
    private readonly SlotClock _clock;
    private readonly Action<SlotCounts> _sink;
    private readonly long _latenessMs;
    private readonly long _lengthMs;
    private readonly SortedDictionary<long, SlotCounts> _open = [];
    private long _watermark = long.MinValue;
    private long _closedThrough = long.MinValue;

    /// <summary>Creates a summing binner for one area.</summary>
    public SumBinner(string area, int cells, SlotClock clock, TimeSpan lateness, Action<SlotCounts> sink)
    {
        _area = area ?? throw new ArgumentNullException(nameof(area));
        _cells = cells;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _latenessMs = (long)lateness.TotalMilliseconds;
        _lengthMs = clock.Minutes * 60_000L;
    }

    /// <summary>Newest record time seen (or moved on to), Unix ms.</summary>
    public long Watermark => _watermark;

    /// <summary>Adds <paramref name="value"/> to <paramref name="channel"/> of cell <paramref name="cell"/>; false if its slot is closed.</summary>
    public bool Add(long unixMs, int cell, string channel, double value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cell);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cell, _cells);
        var slot = _clock.SlotStartMs(unixMs);
        if (slot + _lengthMs <= _closedThrough) return false;
        if (!_open.TryGetValue(slot, out var counts))
        {
            counts = new SlotCounts(_area, slot, _cells);
            _open.Add(slot, counts);
        }

        double[] values;
        if (channel == SearchChannel)
        {
            values = counts.Search ??= new double[_cells];
        }
        else
        {
            var channels = counts.Channels ??= new Dictionary<string, double[]>(StringComparer.Ordinal);
            if (!channels.TryGetValue(channel, out values!)) channels.Add(channel, values = new double[_cells]);
        }

        values[cell] += value;
        if (unixMs > _watermark)
        {
            _watermark = unixMs;
            CloseBefore(_watermark - _latenessMs);
        }

        return true;
    }

    /// <summary>Moves the binner's time on to <paramref name="unixMs"/> without a record and closes the slots that ended a lateness before it.</summary>
    public void Advance(long unixMs)
    {
        if (unixMs <= _watermark) return;
        _watermark = unixMs;
        CloseBefore(_watermark - _latenessMs);
    }

    /// <summary>Closes every open slot (end of input).</summary>
    public void Complete() => CloseBefore(long.MaxValue);

    private void CloseBefore(long limit)
    {
        while (_open.Count > 0)
        {
            var (start, counts) = _open.First();
            if (start + _lengthMs > limit) break;
            _open.Remove(start);
            _sink(counts);
        }

        if (limit != long.MaxValue) _closedThrough = Math.Max(_closedThrough, limit);
    }
}
