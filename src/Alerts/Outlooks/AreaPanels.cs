using System.Globalization;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Alerts.Outlooks;

/// <summary>
/// An area's forecasting panels: its cells' estimated people (devices / panel factor) with their search heat, each
/// cell's neighbours and zones, and its zones' people; with the counts at which each place reaches each warning level.
/// </summary>
/// <param name="Cells">The cells' panel (keys are cell ids).</param>
/// <param name="Zones">The zones' panel (keys are zone names).</param>
/// <param name="CellLevels">Per cell, the people at which each level begins.</param>
/// <param name="ZoneLevels">Per zone, the people at which each level begins.</param>
public sealed record AreaPanels(SlotPanel Cells, SlotPanel Zones, double[][] CellLevels, double[][] ZoneLevels)
{
    /// <summary>
    /// Builds the panels from per-slot people and search heat of the given cells (values[slot][i] for cells[i]); the
    /// zones take their cells' people by the share of each cell they cover.
    /// </summary>
    public static AreaPanels Build(Area area, int[] cells, long startMs, double[][] peopleBySlot, double[][]? searchBySlot)
    {
        ArgumentNullException.ThrowIfNull(area);
        var slots = peopleBySlot.Length;
        var index = new Dictionary<int, int>();
        for (var i = 0; i < cells.Length; i++) index[cells[i]] = i;
        var people = cells.Select(_ => new double[slots]).ToArray();
        var search = searchBySlot is null ? null : cells.Select(_ => new double[slots]).ToArray();
        for (var t = 0; t < slots; t++)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                people[i][t] = peopleBySlot[t][i];
                if (search is not null) search[i][t] = searchBySlot![t][i];
            }
        }

        var spec = area.Grid.Spec;
        var neighbours = new int[cells.Length][];
        var zonesOf = new string[cells.Length][];
        var cellZones = new Dictionary<int, List<string>>();
        for (var z = 0; z < area.Zones.Zones.Count; z++)
            foreach (var o in area.Zones.Overlaps[z])
                (cellZones.TryGetValue(o.CellId, out var list) ? list : cellZones[o.CellId] = []).Add(area.Zones.Zones[z].Name);
        for (var i = 0; i < cells.Length; i++)
        {
            var c = area.Grid.CellAt(cells[i]);
            var near = new List<int>();
            for (var dr = -1; dr <= 1; dr++)
            {
                for (var dc = -1; dc <= 1; dc++)
                {
                    var (r, k) = (c.Row + dr, c.Col + dc);
                    if ((dr, dc) != (0, 0) && r >= 0 && r < spec.Rows && k >= 0 && k < spec.Cols && index.TryGetValue((r * spec.Cols) + k, out var j)) near.Add(j);
                }
            }

            neighbours[i] = [.. near];
            zonesOf[i] = cellZones.TryGetValue(cells[i], out var zs) ? [.. zs] : [];
        }

        var keys = cells.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        var cellPanel = new SlotPanel(keys, startMs, area.Settings.SlotMinutes, people, search, neighbours, zonesOf);

        var zoneCount = area.Zones.Zones.Count;
        var zoneValues = Enumerable.Range(0, zoneCount).Select(_ => new double[slots]).ToArray();
        var byCell = new double[spec.CellCount];
        for (var t = 0; t < slots; t++)
        {
            for (var i = 0; i < cells.Length; i++) byCell[cells[i]] = people[i][t];
            for (var z = 0; z < zoneCount; z++) zoneValues[z][t] = area.Zones.ZonePeople(z, byCell);
        }

        var zoneNames = area.Zones.Zones.Select(z => z.Name).ToArray();
        var zonePanel = new SlotPanel(zoneNames, startMs, area.Settings.SlotMinutes, zoneValues, zones: [.. zoneNames.Select(n => new[] { n })]);
        var cellLevels = cells.Select(c => LevelThresholds.Default.CountsAt(area.WalkableM2[c], null)).ToArray();
        var zoneLevels = Enumerable.Range(0, zoneCount)
            .Select(z => LevelThresholds.ZoneCounts(area, z)).ToArray();
        return new AreaPanels(cellPanel, zonePanel, cellLevels, zoneLevels);
    }

    /// <summary>
    /// Loads the wide history file of a deployment (the sample city's eight weeks): channels <c>devices</c> (people =
    /// devices / panel factor) and <c>search</c>; slots with no row are zero. Unreadable rows are reported to
    /// <paramref name="log"/> and skipped.
    /// </summary>
    public static AreaPanels LoadWide(Area area, string path, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(log);
        var rows = new Dictionary<long, (double[]? People, double[]? Search)>();
        int[] cells;
        using (var input = InputFile.OpenRead(path))
        {
            var scale = 1 / area.Settings.PanelFactor;
            cells = WideSeries.Read(input, path, log, (ms, channel, _, values) =>
            {
                var row = rows.GetValueOrDefault(ms);
                if (channel == "devices") rows[ms] = (values.Select(v => v * scale).ToArray(), row.Search);
                else if (channel == "search") rows[ms] = (row.People, values);
            });
        }

        if (rows.Count == 0) throw new InvalidDataException($"{path}: no devices rows to forecast from");
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var first = rows.Keys.Min();
        var slots = (int)((rows.Keys.Max() - first) / slotMs) + 1;
        var people = new double[slots][];
        var search = new double[slots][];
        for (var t = 0; t < slots; t++)
        {
            var r = rows.GetValueOrDefault(first + (t * slotMs));
            people[t] = r.People ?? new double[cells.Length];
            search[t] = r.Search ?? new double[cells.Length];
        }

        return Build(area, cells, first, people, search);
    }

    /// <summary>
    /// Loads an area's binned people and search heat from the store over [<paramref name="fromMs"/>,
    /// <paramref name="toMs"/>): the cells that had anyone in the window, from its first slot with data to its last.
    /// Null when the store holds nothing for the area in the window.
    /// </summary>
    public static async Task<AreaPanels?> LoadAsync(ICountStore store, Area area, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(area);
        var people = await store.ReadAsync(new CountQuery(area.Name, "people", fromMs, toMs), cancellationToken).ConfigureAwait(false);
        if (people.Count == 0) return null;
        var search = await store.ReadAsync(new CountQuery(area.Name, SumBinner.SearchChannel, fromMs, toMs), cancellationToken).ConfigureAwait(false);
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var first = people.Min(r => r.SlotStartMs);
        var slots = (int)((people.Max(r => r.SlotStartMs) - first) / slotMs) + 1;
        int[] cells = [.. people.Select(r => r.Cell).Distinct().Order()];
        var index = new Dictionary<int, int>();
        for (var i = 0; i < cells.Length; i++) index[cells[i]] = i;
        var bySlot = Enumerable.Range(0, slots).Select(_ => new double[cells.Length]).ToArray();
        var searchBySlot = Enumerable.Range(0, slots).Select(_ => new double[cells.Length]).ToArray();
        foreach (var r in people) bySlot[(int)((r.SlotStartMs - first) / slotMs)][index[r.Cell]] = r.Value;
        foreach (var r in search)
            if (r.SlotStartMs >= first && r.SlotStartMs < first + (slots * slotMs) && index.TryGetValue(r.Cell, out var i)) searchBySlot[(int)((r.SlotStartMs - first) / slotMs)][i] = r.Value;
        return Build(area, cells, first, bySlot, searchBySlot);
    }
}
