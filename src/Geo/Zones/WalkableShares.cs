using System.Collections.Concurrent;
using CrowdWatch.Geo.Areas;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Geo.Zones;

/// <summary>
/// How much of each grid cell's people a region holds. People are counted per grid cell and spread over the cell's
/// walkable surface, so a region gets from each grid cell the share of that cell's walkable area inside it: the
/// surveyed walkable polygons inside both, over those inside the grid cell; where no surveyed surface reaches the cell
/// (its walkable area is a fraction of the ground, spread evenly) the share of its ground. Each cell's walkable
/// surface is cut out once and kept for the next region.
/// </summary>
public sealed class WalkableShares
{
    private readonly Area _area;
    private readonly Lazy<(Geometry Union, IPreparedGeometry Prepared)?> _walkable;
    private readonly ConcurrentDictionary<int, Geometry?> _walkableInCell = new();
    private readonly GeometryFactory _factory = new();
    private readonly Polygon _extent;

    /// <summary>Shares over <paramref name="area"/>'s grid and walkable surfaces.</summary>
    public WalkableShares(Area area)
    {
        _area = area ?? throw new ArgumentNullException(nameof(area));
        var s = area.Grid.Spec;
        _extent = (Polygon)_factory.ToGeometry(new Envelope(s.OriginX, s.MaxX, s.OriginY, s.MaxY));
        _walkable = new(() =>
        {
            if (area.WalkableSurfaces.Count == 0) return null;
            var union = UnaryUnionOp.Union(area.WalkableSurfaces.Select(area.Grid.Projection.Forward).ToList());
            return (union, PreparedGeometryFactory.Prepare(union));
        });
    }

    /// <summary>The area the shares are of.</summary>
    public Area Area => _area;

    /// <summary>The grid cells <paramref name="projected"/> (in the grid's CRS) holds a share of, and how much of it the grid covers.</summary>
    public RegionShare Of(Geometry projected)
    {
        ArgumentNullException.ThrowIfNull(projected);
        var grid = _area.Grid;
        var area = projected.Area;
        var covered = area > 0 && projected.EnvelopeInternal.Intersects(_extent.EnvelopeInternal) ? projected.Intersection(_extent).Area / area : 0;
        var prepared = PreparedGeometryFactory.Prepare(projected);
        var (cells, shares) = (new List<int>(), new List<double>());
        if (covered > 0)
        {
            var planar = grid.Spec.CellSizeM * grid.Spec.CellSizeM;
            var (r0, r1, c0, c1) = grid.CellRange(projected.EnvelopeInternal);
            for (var r = r0; r <= r1; r++)
            {
                for (var c = c0; c <= c1; c++)
                {
                    var cell = grid.CellAt(r, c);
                    var square = _factory.ToGeometry(grid.CellEnvelope(cell));
                    double share;
                    if (prepared.Contains(square)) share = 1;
                    else if (!prepared.Intersects(square)) continue;
                    else if (WalkableIn(cell.Id, square) is { Area: > 0 } walkable) share = walkable.Intersection(projected).Area / walkable.Area;
                    else share = projected.Intersection(square).Area / planar;
                    if (share <= 0) continue;
                    cells.Add(cell.Id);
                    shares.Add(Math.Min(1, share));
                }
            }
        }

        return new RegionShare(area, Math.Min(1, covered), [.. cells], [.. shares]);
    }

    // The surveyed walkable surface inside a grid cell (null where none reaches it).
    private Geometry? WalkableIn(int cellId, Geometry square) => _walkableInCell.GetOrAdd(cellId, _ =>
        _walkable.Value is { } w && w.Prepared.Intersects(square) ? w.Union.Intersection(square) : null);
}
