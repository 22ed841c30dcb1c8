namespace CrowdWatch.Forecast.Series;

/// <summary>
/// The channels of a panel whose places each carry several series (trips started and ended in a cell; people in
/// and out at a counter): which channel and place each series is, so that a model reads a place's other channels
/// beside its own and a backtest scores each channel and all of them pooled.
/// </summary>
public sealed class PanelChannels
{
    private readonly int[] _channelOf;
    private readonly int[] _placeOf;
    private readonly int[][] _companions;

    /// <summary>Channels named <paramref name="names"/>; series s is channel <paramref name="channelOf"/>[s] of place <paramref name="placeOf"/>[s].</summary>
    public PanelChannels(IReadOnlyList<string> names, int[] channelOf, int[] placeOf)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(channelOf);
        ArgumentNullException.ThrowIfNull(placeOf);
        if (channelOf.Length != placeOf.Length) throw new ArgumentException("one channel and one place per series", nameof(placeOf));
        if (channelOf.Any(c => c < 0 || c >= names.Count)) throw new ArgumentException("channel indices into the names", nameof(channelOf));
        Names = names;
        _channelOf = channelOf;
        _placeOf = placeOf;
        var byPlace = Enumerable.Range(0, placeOf.Length).GroupBy(s => placeOf[s]).ToDictionary(g => g.Key, g => g.ToArray());
        _companions = [.. Enumerable.Range(0, placeOf.Length).Select(s => byPlace[placeOf[s]].Where(o => o != s).ToArray())];
    }

    /// <summary>The channels' names (the value columns).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of series.</summary>
    public int Series => _channelOf.Length;

    /// <summary>The channel of series <paramref name="series"/>.</summary>
    public int ChannelOf(int series) => _channelOf[series];

    /// <summary>The place of series <paramref name="series"/>.</summary>
    public int PlaceOf(int series) => _placeOf[series];

    /// <summary>The other channels' series of the same place.</summary>
    public IReadOnlyList<int> Companions(int series) => _companions[series];
}
