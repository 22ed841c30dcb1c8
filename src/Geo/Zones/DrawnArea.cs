using CrowdWatch.Geo.Areas;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Zones;

/// <summary>A polygon a user draws on the map, measured against an area's grid like a zone.</summary>
public static class DrawnArea
{
    /// <summary>The cells <paramref name="drawnWgs84"/> covers, with the area and share of each, in cell order.</summary>
    public static IReadOnlyList<ZoneOverlap> Overlaps(Area area, Geometry drawnWgs84)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(drawnWgs84);
        var layer = new ZoneLayer(area.Grid, [new Zone("drawn", drawnWgs84, null, null, null)]);
        return [.. layer.Overlaps[0].OrderBy(o => o.CellId)];
    }
}
