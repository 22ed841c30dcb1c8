namespace CrowdWatch.Geo.Storage;

/// <summary>
/// What one source (an ingested file, a feed) says about some slots of an area. Writing a batch replaces everything
/// the same source wrote before for the same slots, so ingesting a file twice does not double count; slots listed
/// without rows are cleared for that source.
/// </summary>
/// <param name="Area">The area the cells belong to.</param>
/// <param name="Source">A stable name of the source, for example the file name.</param>
/// <param name="Slots">The slots (UTC start, Unix ms) the batch covers.</param>
/// <param name="Rows">The non-zero counts; cells and channels absent from a covered slot count zero.</param>
public sealed record CountBatch(string Area, string Source, IReadOnlyList<long> Slots, IReadOnlyList<CountRecord> Rows)
{
    /// <summary>
    /// The zones' totals for the same slots, kept beside the cells so that a zone's long series is read without
    /// summing its cells slot by slot.
    /// </summary>
    public IReadOnlyList<ZoneCountRecord> ZoneRows { get; init; } = [];

    /// <summary>Checks that every row falls in a covered slot: a row outside them could never be replaced.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Area);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        var covered = Slots.ToHashSet();
        foreach (var row in Rows)
        {
            if (!covered.Contains(row.SlotStartMs))
                throw new ArgumentException($"row for cell {row.Cell} in slot {row.SlotStartMs} lies outside the batch's slots", nameof(Rows));
            if (string.IsNullOrWhiteSpace(row.Channel))
                throw new ArgumentException($"row for cell {row.Cell} in slot {row.SlotStartMs} has no channel", nameof(Rows));
            if (row.Cell < 0) throw new ArgumentException($"cell {row.Cell} is negative", nameof(Rows));
            if (!double.IsFinite(row.Value)) throw new ArgumentException($"cell {row.Cell} in slot {row.SlotStartMs} has value {row.Value}", nameof(Rows));
        }

        foreach (var row in ZoneRows)
        {
            if (!covered.Contains(row.SlotStartMs))
                throw new ArgumentException($"zone row for '{row.Zone}' in slot {row.SlotStartMs} lies outside the batch's slots", nameof(ZoneRows));
            if (string.IsNullOrWhiteSpace(row.Channel) || string.IsNullOrWhiteSpace(row.Zone))
                throw new ArgumentException($"zone row in slot {row.SlotStartMs} has no zone or no channel", nameof(ZoneRows));
            if (!double.IsFinite(row.Value)) throw new ArgumentException($"zone '{row.Zone}' in slot {row.SlotStartMs} has value {row.Value}", nameof(ZoneRows));
        }
    }

    /// <summary>
    /// The rows with repeated (slot, channel, cell) keys summed and zero values dropped, in key order. Rows already in
    /// strict key order without zeros (as ingest writes them) are returned as they are, without a pass through a set.
    /// </summary>
    public IReadOnlyList<CountRecord> Combined()
    {
        var ordered = true;
        for (var i = 0; i < Rows.Count && ordered; i++)
            ordered = Rows[i].Value != 0 && (i == 0 || CellOrder.Compare(Key(Rows[i - 1]), Key(Rows[i])) < 0);
        return ordered ? Rows : Sum(Rows, Key, r => r.Value, (r, v) => r with { Value = v }, CellOrder);

        static (long, string, int) Key(CountRecord r) => (r.SlotStartMs, r.Channel, r.Cell);
    }

    private static readonly Comparer<(long Slot, string Channel, int Cell)> CellOrder = Comparer<(long Slot, string Channel, int Cell)>.Create((x, y) =>
        x.Slot != y.Slot ? x.Slot.CompareTo(y.Slot) : string.CompareOrdinal(x.Channel, y.Channel) is var c and not 0 ? c : x.Cell.CompareTo(y.Cell));

    /// <summary>The zone rows with repeated (slot, channel, zone) keys summed and zero values dropped, in key order.</summary>
    public IReadOnlyList<ZoneCountRecord> CombinedZones() => Sum(ZoneRows, r => (r.SlotStartMs, r.Channel, r.Zone), r => r.Value, (r, v) => r with { Value = v },
        Comparer<(long Slot, string Channel, string Zone)>.Create((x, y) =>
            x.Slot != y.Slot ? x.Slot.CompareTo(y.Slot) : string.CompareOrdinal(x.Channel, y.Channel) is var c and not 0 ? c : string.CompareOrdinal(x.Zone, y.Zone)));

    // Sums rows by key, keeping the first row of each key with the sum as its value, in key order.
    private static List<T> Sum<T, TKey>(IReadOnlyList<T> rows, Func<T, TKey> key, Func<T, double> value, Func<T, double, T> with, IComparer<TKey> order)
        where TKey : notnull
    {
        var sums = new Dictionary<TKey, (T First, double Sum)>(rows.Count);
        foreach (var row in rows)
        {
            var k = key(row);
            sums[k] = sums.TryGetValue(k, out var s) ? (s.First, s.Sum + value(row)) : (row, value(row));
        }

        var keys = sums.Where(kv => kv.Value.Sum != 0).Select(kv => kv.Key).ToArray();
        Array.Sort(keys, order);
        return [.. keys.Select(k => with(sums[k].First, sums[k].Sum))];
    }
}
