using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Geohashes;

/// <summary>A geohash cell's WGS84 rectangle (degrees).</summary>
public readonly record struct GeohashBounds(double LonMin, double LatMin, double LonMax, double LatMax)
{
    /// <summary>The rectangle as a WGS84 polygon.</summary>
    public Polygon ToPolygon(GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return (Polygon)factory.ToGeometry(new Envelope(LonMin, LonMax, LatMin, LatMax));
    }
}
