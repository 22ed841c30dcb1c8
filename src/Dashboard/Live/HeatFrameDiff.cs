using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Live;

/// <summary>The cells of a slot as a viewer sees them, and what changed since the last slot sent.</summary>
public static class HeatFrameDiff
{
    /// <summary>
    /// Every cell of <paramref name="people"/> as a viewer sees it (k-suppressed, rounded as shown), in cell order;
    /// cells nobody is in are left out.
    /// </summary>
    public static Dictionary<int, HeatCell> View(ReadOnlySpan<double> people, ReadOnlySpan<double> walkableM2, KThreshold k, LevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var cells = new Dictionary<int, HeatCell>();
        foreach (var v in ViewerDensity.From(people, walkableM2, k))
        {
            cells[v.CellId] = v.IsLowDensity
                ? new HeatCell(v.CellId, null, null, 0)
                : new HeatCell(v.CellId, Math.Round(v.People!.Value, 1), Math.Round(v.Density!.Value, 3), (byte)thresholds.LevelOf(v.Density.Value));
        }

        return cells;
    }

    /// <summary>
    /// The cells that differ between <paramref name="before"/> and <paramref name="now"/>: new or changed cells as they
    /// are now, emptied cells as zeros.
    /// </summary>
    public static HeatCell[] Changes(IReadOnlyDictionary<int, HeatCell> before, IReadOnlyDictionary<int, HeatCell> now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(now);
        var changed = new List<HeatCell>();
        foreach (var (id, cell) in now)
            if (!before.TryGetValue(id, out var old) || old != cell) changed.Add(cell);
        foreach (var id in before.Keys)
            if (!now.ContainsKey(id)) changed.Add(new HeatCell(id, 0, 0, 0));
        changed.Sort((a, b) => a.C.CompareTo(b.C));
        return [.. changed];
    }
}
