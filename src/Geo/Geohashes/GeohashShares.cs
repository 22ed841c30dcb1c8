using System.Collections.Concurrent;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Geohashes;

/// <summary>
/// Geohash cells from an area's grid cells: each takes the walkable share of the grid cells it overlaps
/// (<see cref="WalkableShares"/>); its ground is its rectangle projected into the grid's CRS. Kept once computed.
/// </summary>
public sealed class GeohashShares(WalkableShares shares)
{
    private readonly ConcurrentDictionary<string, GeohashCell> _cells = new(StringComparer.Ordinal);
    private readonly GeometryFactory _factory = new();

    /// <summary>The geohash cell <paramref name="hash"/> over the grid.</summary>
    public GeohashCell Of(string hash) => _cells.GetOrAdd(hash, h =>
        new GeohashCell(h, shares.Of(shares.Area.Grid.Projection.Forward(Geohash.Bounds(h).ToPolygon(_factory)))));
}
