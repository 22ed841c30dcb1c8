using CrowdWatch.Alerts.Triggers;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// Risk points: the hot cells (expected peak at or above a level) merged into clusters where they share an edge (the
/// union of their squares, by NetTopologySuite), each scored and ranked.
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
        var hot = cells.Where(c => thresholds.LevelOf(c.PeakDensity) >= hotFrom).ToList();
        if (hot.Count == 0) return [];
        var squares = hot.Select(c => (Geometry)Factory.ToGeometry(new Envelope(c.Col, c.Col + 1, c.Row, c.Row + 1))).ToList();
        var union = CascadedPolygonUnion.Union(squares);
        var parts = Enumerable.Range(0, union.NumGeometries).Select(i => union.GetGeometryN(i)).ToList();
        var prepared = parts.Select(PreparedGeometryFactory.Prepare).ToList();
        var members = parts.Select(_ => new List<CellOutlook>()).ToList();
        foreach (var c in hot)
        {
            var centre = Factory.CreatePoint(new Coordinate(c.Col + 0.5, c.Row + 0.5));
            for (var p = 0; p < prepared.Count; p++)
            {
                if (!prepared[p].Contains(centre)) continue;
                members[p].Add(c);
                break;
            }
        }

        var points = new List<RiskPoint>(parts.Count);
        for (var p = 0; p < parts.Count; p++)
        {
            var m = members[p];
            if (m.Count == 0) continue;
            var densest = m.MaxBy(c => c.PeakDensity);
            points.Add(new RiskPoint(0, [.. m.Select(c => c.Cell).Order()], parts[p], thresholds.LevelOf(densest.PeakDensity), m.Sum(c => Score(c, thresholds)),
                new Peak(densest.PeakDensity, densest.PeakAtMs, densest.PeakLow, densest.PeakHigh), m.Sum(c => c.PeakDensity * c.WalkableM2)));
        }

        return [.. points.OrderByDescending(r => r.Score).ThenBy(r => r.Cells[0]).Select((r, i) => r with { Rank = i + 1 })];
    }
}
