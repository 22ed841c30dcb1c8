using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// The walkable m² of every cell: density is people per walkable m², not per cell, because a 100 m cell on the
/// Yangtze bank may be half river. Where a walkable-surface layer (plazas, streets, stairs) covers a cell, its
/// walkable area is the layer's area inside the cell; cells the layer does not reach take a configured fraction of
/// their ground area, since layers are usually surveyed only around the places watched.
/// </summary>
public static class WalkableArea
{
    /// <summary>Default walkable share of a cell with no surveyed surface.</summary>
    public const double DefaultFraction = 0.35;

    /// <summary>
    /// Least walkable share given to a cell the layer only grazes: a surveyed sliver of a few m² would otherwise turn a
    /// handful of people into a crush-level density.
    /// </summary>
    public const double MinimumFraction = 0.05;

    /// <summary>Computes walkable m² per cell.</summary>
    /// <param name="grid">The grid.</param>
    /// <param name="surfaces">Walkable polygons in WGS84, or empty.</param>
    /// <param name="fallbackFraction">Walkable share of cells the surfaces do not reach (0 &lt; f ≤ 1).</param>
    public static double[] PerCell(Grid grid, IReadOnlyList<Geometry> surfaces, double fallbackFraction = DefaultFraction)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(surfaces);
        if (!(fallbackFraction is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(fallbackFraction), fallbackFraction, "the walkable fraction must be in (0, 1]");

        var s = grid.Spec;
        var result = new double[s.CellCount];
        var planarCell = s.CellSizeM * s.CellSizeM;
        for (var id = 0; id < result.Length; id++)
        {
            result[id] = fallbackFraction * planarCell;
        }

        if (surfaces.Count == 0) return Ground(grid, result);

        // Union first: overlapping street and plaza polygons must not count twice.
        var union = UnaryUnionOp.Union(surfaces.Select(grid.Projection.Forward).ToList());
        var prepared = PreparedGeometryFactory.Prepare(union);
        var factory = new GeometryFactory();
        var (r0, r1, c0, c1) = grid.CellRange(union.EnvelopeInternal);
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                var cell = grid.CellAt(r, c);
                var square = factory.ToGeometry(grid.CellEnvelope(cell));
                if (!prepared.Intersects(square)) continue;
                var area = prepared.Contains(square) ? planarCell : union.Intersection(square).Area;
                if (area > 0) result[cell.Id] = Math.Max(area, MinimumFraction * planarCell);
            }
        }

        return Ground(grid, result);
    }

    // Planar m² to ground m², with the projection's areal scale at each cell.
    private static double[] Ground(Grid grid, double[] planar)
    {
        var planarCell = grid.Spec.CellSizeM * grid.Spec.CellSizeM;
        for (var id = 0; id < planar.Length; id++)
            planar[id] *= grid.CellAreaM2(grid.CellAt(id)) / planarCell;
        return planar;
    }
}
