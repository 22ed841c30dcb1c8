using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Live;

/// <summary>The cells of a slot as an audience sees them, and what changed since the last slot sent.</summary>
public static class HeatFrameDiff
{
    /// <summary>
    /// Every cell of <paramref name="people"/> with anyone in it as seen under <paramref name="k"/> (no number under
    /// it; rounded as shown), in ascending cell order.
    /// </summary>
    public static HeatCell[] View(ReadOnlySpan<double> people, ReadOnlySpan<double> walkableM2, KThreshold k, LevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var cells = new List<HeatCell>();
        foreach (var v in ViewerDensity.From(people, walkableM2, k))
        {
            cells.Add(v.IsLowDensity
                ? new HeatCell(v.CellId, null, null, 0)
                : new HeatCell(v.CellId, Math.Round(v.People!.Value, 1), Math.Round(v.Density!.Value, 3), (byte)thresholds.LevelOf(v.Density.Value)));
        }

        return [.. cells];
    }

    /// <summary>
    /// The cells that differ between <paramref name="before"/> and <paramref name="now"/> (both in ascending cell order,
    /// as <see cref="View"/> gives them): new or changed cells as they are now, emptied cells as zeros; in cell order.
    /// </summary>
    public static HeatCell[] Changes(ReadOnlySpan<HeatCell> before, ReadOnlySpan<HeatCell> now)
    {
        // One merge of the two ordered lists: no lookups, no sort.
        var changed = new List<HeatCell>();
        var (b, n) = (0, 0);
        while (b < before.Length || n < now.Length)
        {
            if (n == now.Length || (b < before.Length && before[b].C < now[n].C)) changed.Add(new HeatCell(before[b++].C, 0, 0, 0));
            else if (b == before.Length || now[n].C < before[b].C) changed.Add(now[n++]);
            else
            {
                if (before[b] != now[n]) changed.Add(now[n]);
                (b, n) = (b + 1, n + 1);
            }
        }

        return [.. changed];
    }
}
