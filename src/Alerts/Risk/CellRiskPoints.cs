using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Geo.Areas;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// An area's risk points in a slot from its cells' people and its zones' assessments: each cell's density now, and
/// its peak taken as its zones' forecast peak over their count now (people are taken to grow evenly over a zone);
/// cells outside zones keep their density as their peak.
/// </summary>
public static class CellRiskPoints
{
    /// <summary>The ranked risk points; <paramref name="zoneAssessments"/> in the zone layer's order.</summary>
    public static IReadOnlyList<RiskPoint> Of(Area area, IEnumerable<(int Cell, double People)> cells, long slotMs, IReadOnlyList<Assessment> zoneAssessments)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(zoneAssessments);
        var zonesOfCell = new Dictionary<int, List<int>>();
        for (var z = 0; z < area.Zones.Zones.Count; z++)
            foreach (var o in area.Zones.Overlaps[z])
                (zonesOfCell.TryGetValue(o.CellId, out var list) ? list : zonesOfCell[o.CellId] = []).Add(z);
        var outlooks = new List<CellOutlook>();
        foreach (var (id, people) in cells)
        {
            var walkable = area.WalkableM2[id];
            if (!(walkable > 0)) continue;
            // No cell holds more than a crowd can: an estimate above that is a data problem, shown at the cap.
            var density = CrowdDensity.Capped(Math.Max(0, people) / walkable);
            var (peak, at, low, high) = (density, slotMs, density, density);
            foreach (var z in zonesOfCell.GetValueOrDefault(id) ?? [])
            {
                if (z >= zoneAssessments.Count) continue;
                var a = zoneAssessments[z];
                var now = a.Slot.Density;
                if (!a.Peak.Known || a.Peak.AtMs <= slotMs || !(now > 0) || !(a.Peak.Density > now)) continue;
                var ratio = a.Peak.Density / now;
                if (CrowdDensity.Capped(density * ratio) > peak)
                    (peak, at, low, high) = (CrowdDensity.Capped(density * ratio), a.Peak.AtMs, CrowdDensity.Capped(density * a.Peak.Low / now), CrowdDensity.Capped(density * a.Peak.High / now));
            }

            var cell = area.Grid.CellAt(id);
            outlooks.Add(new CellOutlook(id, cell.Row, cell.Col, walkable, density, peak, at, low, high));
        }

        return RiskPoints.Find(outlooks, LevelThresholds.Default);
    }

    /// <summary>A risk point's outline (grid units: x column, y row) in WGS84 lon/lat.</summary>
    public static Geometry Wgs84(Area area, Geometry outline)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(outline);
        var spec = area.Grid.Spec;
        var copy = outline.Copy();
        copy.Apply(new CoordinateFilter(c =>
        {
            var (lon, lat) = area.Grid.Projection.Inverse(spec.OriginX + (c.X * spec.CellSizeM), spec.OriginY + (c.Y * spec.CellSizeM));
            (c.X, c.Y) = (lon, lat);
        }));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class CoordinateFilter(Action<Coordinate> action) : ICoordinateFilter
    {
        public void Filter(Coordinate coord) => action(coord);
    }
}
