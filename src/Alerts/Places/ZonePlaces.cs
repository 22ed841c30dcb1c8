using CrowdWatch.Geo.Areas;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Alerts.Places;

/// <summary>An area's zones as places to warn about: ids <c>zone:{name}</c>, display names, outlines for CAP.</summary>
public static class ZonePlaces
{
    /// <summary>The id of zone <paramref name="name"/>.</summary>
    public static string Id(string name) => $"zone:{name}";

    /// <summary>One place per zone, in the zone layer's order.</summary>
    public static Place[] Of(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return [.. area.Zones.Zones.Select(z => new Place(Id(z.Name), z.NameZh ?? z.Name, z.NameEn ?? z.Name, Ring(z.Geometry)))];
    }

    /// <summary>The outline of a polygon (the largest part of a multipolygon) as (lat, lon), closed.</summary>
    public static (double Lat, double Lon)[] Ring(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var polygon = geometry switch
        {
            Polygon p => p,
            MultiPolygon m => m.Geometries.OfType<Polygon>().MaxBy(p => p.Area),
            _ => null,
        } ?? throw new ArgumentException($"a zone must be a polygon, got {geometry.GeometryType}", nameof(geometry));
        return [.. polygon.ExteriorRing.Coordinates.Select(c => (c.Y, c.X))];
    }
}
