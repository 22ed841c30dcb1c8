using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace CrowdWatch.Geo.Geohashes;

/// <summary>The geohash cells of one precision that a WGS84 polygon touches.</summary>
public static class GeohashCover
{
    /// <summary>
    /// The hashes of <paramref name="precision"/> characters whose cells share area with <paramref name="polygonWgs84"/>,
    /// west to east then south to north; null when there would be more than <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<string>? Of(Geometry polygonWgs84, int precision, int limit)
    {
        ArgumentNullException.ThrowIfNull(polygonWgs84);
        var (dLon, dLat) = Geohash.CellDegrees(precision);
        var env = polygonWgs84.EnvelopeInternal;
        // Cells are aligned on multiples of their size from (-180, -90).
        var (c0, c1) = ((long)Math.Floor((env.MinX + 180) / dLon), (long)Math.Floor((env.MaxX + 180) / dLon));
        var (r0, r1) = ((long)Math.Floor((env.MinY + 90) / dLat), (long)Math.Floor((env.MaxY + 90) / dLat));
        if ((c1 - c0 + 1) * (r1 - r0 + 1) > 16L * limit + 64) return null;
        var prepared = PreparedGeometryFactory.Prepare(polygonWgs84);
        var factory = polygonWgs84.Factory;
        var hashes = new List<string>();
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                var (lon, lat) = (-180 + ((c + 0.5) * dLon), -90 + ((r + 0.5) * dLat));
                if (lon > 180 || lat > 90) continue;
                var hash = Geohash.Encode(lon, lat, precision);
                var cell = Geohash.Bounds(hash).ToPolygon(factory);
                if (!prepared.Contains(cell) && (!prepared.Intersects(cell) || polygonWgs84.Intersection(cell).Area <= 0)) continue;
                hashes.Add(hash);
                if (hashes.Count > limit) return null;
            }
        }

        return hashes;
    }
}
