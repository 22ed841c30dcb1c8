using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;

namespace CrowdWatch.Geo.Storage;

/// <summary>
/// Turns a closed slot of an area into the batch a store keeps: every non-zero cell value, and each zone's total
/// (its cells' values by the share of each it covers) for every channel.
/// </summary>
public sealed class SlotBatches
{
    /// <summary>
    /// The largest value one record may give a cell in a slot: a hundred times the people on Earth. Readers refuse a
    /// larger one (a unit error, or an attack), which keeps every sum of a slot, cell and zone alike, finite.
    /// </summary>
    public const double MaxValue = 1e12;

    private readonly Area _area;
    private readonly (int Zone, double Share)[][] _zonesOfCell;

    /// <summary>Prepares the batches of <paramref name="area"/>: which zones take a share of which cell.</summary>
    public SlotBatches(Area area)
    {
        _area = area ?? throw new ArgumentNullException(nameof(area));
        var byCell = new List<(int, double)>?[area.Grid.Spec.CellCount];
        for (var z = 0; z < area.Zones.Zones.Count; z++)
            foreach (var o in area.Zones.Overlaps[z])
                (byCell[o.CellId] ??= []).Add((z, o.CellFraction));
        _zonesOfCell = [.. byCell.Select(l => l?.ToArray() ?? [])];
    }

    /// <summary>The batch of one closed slot, written under <paramref name="source"/>.</summary>
    public CountBatch Of(string source, SlotCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Of(source, counts.SlotStartMs, SlotChannels.Of(counts, _area.Settings.PanelFactor));
    }

    /// <summary>
    /// The batch of slot <paramref name="slotStartMs"/> from per-cell values by channel: values of one cell and channel
    /// are summed; cells outside the grid, and sums that are not finite numbers of 0 or more, are left out (a reader
    /// of the store could not serve them).
    /// </summary>
    public CountBatch Of(string source, long slotStartMs, IEnumerable<(int Cell, string Channel, double Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byChannel = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        foreach (var (cell, channel, value) in values)
        {
            if ((uint)cell >= (uint)_zonesOfCell.Length) continue;
            if (!byChannel.TryGetValue(channel, out var cells)) byChannel[channel] = cells = [];
            cells[cell] = cells.GetValueOrDefault(cell) + value;
        }

        // The check follows the summing: two finite values may sum to infinity.
        var rows = new List<CountRecord>();
        var zoneTotals = new Dictionary<(int Zone, string Channel), double>();
        foreach (var (channel, cells) in byChannel.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var (cell, value) in cells.OrderBy(c => c.Key))
            {
                if (!double.IsFinite(value) || value < 0) continue;
                rows.Add(new CountRecord(slotStartMs, channel, cell, value));
                foreach (var (zone, share) in _zonesOfCell[cell])
                    zoneTotals[(zone, channel)] = zoneTotals.GetValueOrDefault((zone, channel)) + (value * share);
            }
        }

        // Rows are in the store's key order (channel, then cell), which the stores take as they are.
        return new CountBatch(_area.Name, source, [slotStartMs], rows)
        {
            ZoneRows = [.. zoneTotals.Where(t => double.IsFinite(t.Value)).Select(t => new ZoneCountRecord(slotStartMs, t.Key.Channel, _area.Zones.Zones[t.Key.Zone].Name, t.Value))],
        };
    }
}
