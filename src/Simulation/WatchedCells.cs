using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Simulation;

/// <summary>
/// The cells a long history is kept for: every cell a zone touches and the ring of cells around them (where queues
/// and overflow show first). For the sample city that is a few hundred of its 9 728 cells.
/// </summary>
public static class WatchedCells
{
    /// <summary>The watched cells of <paramref name="area"/>, ascending.</summary>
    public static int[] Of(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var spec = area.Grid.Spec;
        var set = new SortedSet<int>();
        foreach (var overlaps in area.Zones.Overlaps)
        {
            foreach (var o in overlaps)
            {
                var c = area.Grid.CellAt(o.CellId);
                for (var dr = -1; dr <= 1; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        var (r, k) = (c.Row + dr, c.Col + dc);
                        if (r >= 0 && r < spec.Rows && k >= 0 && k < spec.Cols) set.Add((r * spec.Cols) + k);
                    }
                }
            }
        }

        return [.. set];
    }
}
