namespace CrowdWatch.Forecast.Series;

/// <summary>
/// Many places' series over the same slots (every watched cell of an area, every zone, every dock of a bike-share
/// system): the target values, optionally the search heat of the same places as a leading signal, each place's
/// neighbours in the panel and the zones it lies in. A panel cut with <see cref="Take"/> shows nothing after its
/// <see cref="Length"/>: a model handed a history cannot read the slots it forecasts.
/// </summary>
public sealed class SlotPanel
{
    private readonly double[][] _values;
    private readonly double[][]? _search;
    private readonly int[][] _neighbours;
    private readonly string[][] _zones;

    /// <summary>A panel over <paramref name="values"/> (one array per place, all of one length; NaN where missing).</summary>
    /// <param name="keys">The places' keys, one per series.</param>
    /// <param name="startMs">UTC start of the first slot, Unix ms.</param>
    /// <param name="slotMinutes">Slot length in minutes.</param>
    /// <param name="values">The target values, one array per place.</param>
    /// <param name="search">Search heat per place over the same slots, or null when there is none.</param>
    /// <param name="neighbours">Each place's neighbours, as indices into this panel; none when null.</param>
    /// <param name="zones">The zones each place lies in (for the events scheduled there); none when null.</param>
    /// <param name="channels">Where places carry several series, which channel and place each series is; null for one each.</param>
    public SlotPanel(IReadOnlyList<string> keys, long startMs, int slotMinutes, double[][] values, double[][]? search = null,
        int[][]? neighbours = null, string[][]? zones = null, PanelChannels? channels = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Count != values.Length) throw new ArgumentException($"{keys.Count} keys for {values.Length} series", nameof(keys));
        if (slotMinutes <= 0 || 1440 % slotMinutes != 0) throw new ArgumentOutOfRangeException(nameof(slotMinutes), slotMinutes, "a slot length that divides a day (1, 5, 15, 60 minutes ...)");
        var length = values.Length == 0 ? 0 : values[0].Length;
        if (values.Any(v => v.Length != length)) throw new ArgumentException("every series needs the same number of slots", nameof(values));
        if (search is not null && (search.Length != values.Length || search.Any(s => s.Length != length)))
            throw new ArgumentException("search heat needs one series per place over the same slots", nameof(search));
        if (neighbours is not null && (neighbours.Length != values.Length || neighbours.Any(n => n.Any(i => i < 0 || i >= values.Length))))
            throw new ArgumentException("neighbours need one list per place, of indices into the panel", nameof(neighbours));
        if (zones is not null && zones.Length != values.Length) throw new ArgumentException("zones need one list per place", nameof(zones));
        if (channels is not null && channels.Series != values.Length) throw new ArgumentException("channels need one entry per series", nameof(channels));
        Keys = keys;
        Channels = channels;
        StartMs = startMs;
        SlotMinutes = slotMinutes;
        Length = length;
        _values = values;
        _search = search;
        _neighbours = neighbours ?? [.. values.Select(_ => Array.Empty<int>())];
        _zones = zones ?? [.. values.Select(_ => Array.Empty<string>())];
    }

    private SlotPanel(SlotPanel whole, int length)
    {
        (Keys, StartMs, SlotMinutes, _values, _search, _neighbours, _zones, Channels) = (whole.Keys, whole.StartMs, whole.SlotMinutes, whole._values, whole._search, whole._neighbours, whole._zones, whole.Channels);
        Length = length;
    }

    /// <summary>The places' keys.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Number of places.</summary>
    public int Count => Keys.Count;

    /// <summary>UTC start of the first slot, Unix ms.</summary>
    public long StartMs { get; }

    /// <summary>Slot length in minutes.</summary>
    public int SlotMinutes { get; }

    /// <summary>Slot length in ms.</summary>
    public long SlotMs => SlotMinutes * 60_000L;

    /// <summary>Slots in a day.</summary>
    public int SlotsPerDay => 1440 / SlotMinutes;

    /// <summary>Number of slots visible.</summary>
    public int Length { get; }

    /// <summary>Which channel and place each series is, where places carry several; null where each carries one.</summary>
    public PanelChannels? Channels { get; }

    /// <summary>The other channels' series of series <paramref name="series"/>'s place (none in a one-channel panel).</summary>
    public IReadOnlyList<int> Companions(int series) => Channels?.Companions(series) ?? [];

    /// <summary>Whether search heat comes with the counts.</summary>
    public bool HasSearch => _search is not null;

    /// <summary>UTC start of slot <paramref name="index"/>, Unix ms (an index past the end is a future slot).</summary>
    public long SlotStart(int index) => StartMs + (index * SlotMs);

    /// <summary>Place <paramref name="series"/>'s values up to <see cref="Length"/>.</summary>
    public ReadOnlySpan<double> Values(int series) => _values[series].AsSpan(0, Length);

    /// <summary>Place <paramref name="series"/>'s search heat up to <see cref="Length"/> (empty when there is none).</summary>
    public ReadOnlySpan<double> Search(int series) => _search is null ? [] : _search[series].AsSpan(0, Length);

    /// <summary>Place <paramref name="series"/>'s neighbours in the panel.</summary>
    public IReadOnlyList<int> Neighbours(int series) => _neighbours[series];

    /// <summary>The zones place <paramref name="series"/> lies in.</summary>
    public IReadOnlyList<string> ZonesOf(int series) => _zones[series];

    /// <summary>The first <paramref name="length"/> slots: the panel as it stood at the end of slot length - 1.</summary>
    public SlotPanel Take(int length) =>
        length >= 0 && length <= Length ? new SlotPanel(this, length) : throw new ArgumentOutOfRangeException(nameof(length), length, $"0..{Length}");

    /// <summary>The panel without its first <paramref name="slots"/> slots (copies of the values, up to <see cref="Length"/>).</summary>
    public SlotPanel Skip(int slots)
    {
        if (slots < 0 || slots > Length) throw new ArgumentOutOfRangeException(nameof(slots), slots, $"0..{Length}");
        return new SlotPanel(Keys, SlotStart(slots), SlotMinutes, [.. _values.Select(v => v[slots..Length])],
            _search is null ? null : [.. _search.Select(v => v[slots..Length])], _neighbours, _zones, Channels);
    }

    /// <summary>Whether <paramref name="other"/> shows the very same series over the same slots (one a cut of the other to the same length).</summary>
    internal bool SameAs(SlotPanel? other) =>
        other is not null && ReferenceEquals(_values, other._values) && Length == other.Length && StartMs == other.StartMs;

    /// <summary>One place's series (a copy up to <see cref="Length"/>).</summary>
    public SlotSeries Series(int series) => new(Keys[series], StartMs, SlotMinutes, Values(series).ToArray());

    /// <summary>A panel of separate series that share start, slot length and length.</summary>
    public static SlotPanel Of(IReadOnlyList<SlotSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("no series", nameof(series));
        if (series.Any(s => s.Values.Length != series[0].Values.Length || s.StartMs != series[0].StartMs || s.SlotMinutes != series[0].SlotMinutes))
            throw new ArgumentException("the series must share their start, slot length and length", nameof(series));
        return new SlotPanel([.. series.Select(s => s.Key)], series[0].StartMs, series[0].SlotMinutes, [.. series.Select(s => s.Values)]);
    }
}
