namespace CrowdWatch.Forecast.Series;

/// <summary>
/// One place's values over consecutive slots of equal length (a cell's people, a zone's, a bike dock's departures):
/// value i belongs to the slot starting <c>StartMs + i * SlotMinutes</c> minutes. Missing slots are NaN.
/// </summary>
/// <param name="Key">The place: a cell id, a zone's name, any series key.</param>
/// <param name="StartMs">UTC start of the first slot, Unix ms.</param>
/// <param name="SlotMinutes">Slot length in minutes.</param>
/// <param name="Values">The values, one per slot.</param>
public sealed record SlotSeries(string Key, long StartMs, int SlotMinutes, double[] Values)
{
    /// <summary>Slot length in ms.</summary>
    public long SlotMs => SlotMinutes * 60_000L;

    /// <summary>UTC start of slot <paramref name="index"/>, Unix ms (an index past the end is a future slot).</summary>
    public long SlotStart(int index) => StartMs + (index * SlotMs);

    /// <summary>The first <paramref name="count"/> slots: the history as it stood at the end of slot count - 1.</summary>
    public SlotSeries Take(int count) => this with { Values = Values[..count] };
}
