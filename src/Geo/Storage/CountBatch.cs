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
    }

    /// <summary>The rows with repeated (slot, channel, cell) keys summed and zero values dropped, in key order.</summary>
    public IReadOnlyList<CountRecord> Combined()
    {
        var sums = new Dictionary<(long Slot, string Channel, int Cell), double>();
        foreach (var row in Rows)
        {
            var key = (row.SlotStartMs, row.Channel, row.Cell);
            sums[key] = sums.GetValueOrDefault(key) + row.Value;
        }

        return sums.Where(kv => kv.Value != 0)
            .OrderBy(kv => kv.Key.Slot).ThenBy(kv => kv.Key.Channel, StringComparer.Ordinal).ThenBy(kv => kv.Key.Cell)
            .Select(kv => new CountRecord(kv.Key.Slot, kv.Key.Channel, kv.Key.Cell, kv.Value)).ToList();
    }
}
