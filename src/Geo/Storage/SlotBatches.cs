using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;

namespace CrowdWatch.Geo.Storage;

/// <summary>
/// Turns a closed slot of an area into the batch a store keeps: every non-zero cell value, and each zone's total
/// (its cells' values by the share of each it covers) for every channel.
/// </summary>
public sealed class SlotBatches
{
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

    /// <summary>The batch of slot <paramref name="slotStartMs"/> from per-cell values by channel (cells outside the grid are skipped).</summary>
    public CountBatch Of(string source, long slotStartMs, IEnumerable<(int Cell, string Channel, double Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byChannel = new Dictionary<string, List<CountRecord>>(StringComparer.Ordinal);
        var zoneTotals = new Dictionary<(int Zone, string Channel), double>();
        foreach (var (cell, channel, value) in values)
        {
            if ((uint)cell >= (uint)_zonesOfCell.Length) continue;
            if (!byChannel.TryGetValue(channel, out var list)) byChannel[channel] = list = [];
            list.Add(new CountRecord(slotStartMs, channel, cell, value));
            foreach (var (zone, share) in _zonesOfCell[cell])
                zoneTotals[(zone, channel)] = zoneTotals.GetValueOrDefault((zone, channel)) + (value * share);
        }

        // In the store's key order (channel, then cell), which the stores take as it is.
        var rows = byChannel.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value).ToList();
        return new CountBatch(_area.Name, source, [slotStartMs], rows)
        {
            ZoneRows = [.. zoneTotals.Select(t => new ZoneCountRecord(slotStartMs, t.Key.Channel, _area.Zones.Zones[t.Key.Zone].Name, t.Value))],
        };
    }
}
