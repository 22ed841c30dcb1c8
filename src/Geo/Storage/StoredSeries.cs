using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Storage;

/// <summary>Series of a zone or drawn area from stored cell counts: each cell counts by the share of it the area covers.</summary>
public static class StoredSeries
{
    /// <summary>One slot's total.</summary>
    public readonly record struct Point(long SlotStartMs, double Value);

    /// <summary>
    /// Per slot with any count in the window, the sum over <paramref name="overlaps"/>' cells of the cell's value times
    /// the share of the cell covered.
    /// </summary>
    public static async Task<IReadOnlyList<Point>> ReadAsync(ICountStore store, string area, string channel, IReadOnlyList<ZoneOverlap> overlaps,
        long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(overlaps);
        if (overlaps.Count == 0) return [];
        var share = overlaps.ToDictionary(o => o.CellId, o => o.CellFraction);
        var rows = await store.ReadAsync(new CountQuery(area, channel, fromMs, toMs, share.Keys.ToArray()), cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.SlotStartMs).Select(g => new Point(g.Key, g.Sum(r => r.Value * share[r.Cell]))).OrderBy(p => p.SlotStartMs).ToList();
    }
}
