using CrowdWatch.Alerts.Triggers;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// Risk points: the hot cells (expected peak at or above a level) merged into clusters where they share an edge, each
/// with its outline (the union of its squares, by NetTopologySuite), scored and ranked.
/// </summary>
public static class RiskPoints
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>
    /// A cell's contribution to its cluster's score: the people above the Blue density at its peak (how many would have
    /// to leave for it to be merely crowded), times one plus its level (Red counts five times, Blue twice). The cluster's
    /// score is the sum: large and deep crowds rank above a single dense cell.
    /// </summary>
    public static double Score(CellOutlook cell, LevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var excess = Math.Max(0, cell.PeakDensity - thresholds.Blue) * cell.WalkableM2;
        return excess * (1 + (int)thresholds.LevelOf(cell.PeakDensity));
    }

    /// <summary>The clusters of cells whose peak reaches <paramref name="hotFrom"/>, riskiest first.</summary>
    public static IReadOnlyList<RiskPoint> Find(IReadOnlyList<CellOutlook> cells, LevelThresholds thresholds, RiskLevel hotFrom = RiskLevel.Blue)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(thresholds);
        var from = thresholds.DensityOf(hotFrom);
        var hot = new Dictionary<(int Row, int Col), CellOutlook>();
        for (var i = 0; i < cells.Count; i++)
            if (cells[i].PeakDensity >= from) hot[(cells[i].Row, cells[i].Col)] = cells[i];
        if (hot.Count == 0) return [];

        // Cells sharing an edge, found by walking the grid; each group's outline is the union of its squares.
        var seen = new HashSet<(int, int)>();
        var points = new List<RiskPoint>();
        var stack = new Stack<(int Row, int Col)>();
        foreach (var start in hot.Keys)
        {
            if (!seen.Add(start)) continue;
            var members = new List<CellOutlook>();
            stack.Push(start);
            while (stack.Count > 0)
            {
                var (r, c) = stack.Pop();
                members.Add(hot[(r, c)]);
                foreach (var next in new[] { (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1) })
                    if (hot.ContainsKey(next) && seen.Add(next)) stack.Push(next);
            }

            // Squares of one grid meet edge to edge: a polygonal coverage, whose union needs no noding.
            var outline = CoverageUnion.Union(Factory.BuildGeometry([.. members.Select(m => (Geometry)Factory.ToGeometry(new Envelope(m.Col, m.Col + 1, m.Row, m.Row + 1)))]));
            var densest = members.MaxBy(m => m.PeakDensity);
            points.Add(new RiskPoint(0, [.. members.Select(m => m.Cell).Order()], outline, thresholds.LevelOf(densest.PeakDensity), members.Sum(m => Score(m, thresholds)),
                new Peak(densest.PeakDensity, densest.PeakAtMs, densest.PeakLow, densest.PeakHigh), members.Sum(m => m.PeakDensity * m.WalkableM2)));
        }

        return [.. points.OrderByDescending(r => r.Score).ThenBy(r => r.Cells[0]).Select((r, i) => r with { Rank = i + 1 })];
    }
}
