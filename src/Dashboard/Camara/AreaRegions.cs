using System.Collections.Concurrent;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// The served areas as the CAMARA APIs see them: which area a region asked about lies in (the one whose grid covers
/// most of it), and each area's walkable shares, made once.
/// </summary>
public sealed class AreaRegions(AreaCatalog catalog)
{
    private readonly ConcurrentDictionary<string, WalkableShares> _shares = new(StringComparer.Ordinal);
    private readonly GeometryFactory _factory = new();

    /// <summary>The walkable shares of <paramref name="area"/>.</summary>
    public WalkableShares Of(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return _shares.GetOrAdd(area.Name, _ => new WalkableShares(area));
    }

    /// <summary>The served area whose grid covers most of <paramref name="wgs84"/>; null where none touches it.</summary>
    public Area? AreaOf(Geometry wgs84) => catalog.Areas.Values
        .Select(a => (Area: a, Shared: Bounds(a).Intersects(wgs84) ? Bounds(a).Intersection(wgs84).Area : 0))
        .Where(p => p.Shared > 0).OrderByDescending(p => p.Shared).Select(p => p.Area).FirstOrDefault();

    /// <summary>The WGS84 rectangle holding <paramref name="area"/>'s grid.</summary>
    public Geometry Bounds(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var b = area.Grid.Bounds;
        return _factory.ToGeometry(new Envelope(b.MinLon, b.MaxLon, b.MinLat, b.MaxLat));
    }
}
