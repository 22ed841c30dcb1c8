using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// How wide the way on foot is from each cell to its east and north neighbours: the length of their shared border that
/// the walkable layer covers. A river, a wall or a building block between two cells leaves no passage; a street
/// crossing the border is as wide as the street. Where neither cell is surveyed, the border is taken as walkable by the
/// same fraction as the cell's ground (the walkable fraction of the area), since an unsurveyed block still has streets.
/// </summary>
public static class PassageWidths
{
    /// <summary>
    /// The widths in metres, per cell id: <c>East[id]</c> to the cell at column + 1, <c>North[id]</c> to the cell at row + 1
    /// (0 on the grid's edge and where nothing walkable crosses).
    /// </summary>
    public static (double[] East, double[] North) PerCell(Grid grid, IReadOnlyList<Geometry> surfaces, double fallbackFraction = WalkableArea.DefaultFraction)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(surfaces);
        if (!(fallbackFraction is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(fallbackFraction), fallbackFraction, "the walkable fraction must be in (0, 1]");
        var s = grid.Spec;
        var (rows, cols, size) = (s.Rows, s.Cols, s.CellSizeM);
        var east = new double[s.CellCount];
        var north = new double[s.CellCount];
        var surveyed = new bool[s.CellCount];
        Geometry? union = null;
        IPreparedGeometry? prepared = null;
        var factory = new GeometryFactory();
        if (surfaces.Count > 0)
        {
            union = UnaryUnionOp.Union(surfaces.Select(grid.Projection.Forward).ToList());
            prepared = PreparedGeometryFactory.Prepare(union);
            var (r0, r1, c0, c1) = grid.CellRange(union.EnvelopeInternal);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++)
                    surveyed[(r * cols) + c] = prepared.Intersects(factory.ToGeometry(grid.CellEnvelope(grid.CellAt(r, c))));
        }

        double Width(int a, int b, Coordinate from, Coordinate to)
        {
            if (!surveyed[a] && !surveyed[b]) return fallbackFraction * size;
            var border = factory.CreateLineString([from, to]);
            if (!prepared!.Intersects(border)) return 0;
            return prepared.Contains(border) ? size : union!.Intersection(border).Length;
        }

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var id = (r * cols) + c;
                var e = grid.CellEnvelope(new Cell(id, r, c));
                // Ground metres: the projection's linear scale at the cell, as its walkable area uses the areal one.
                var k = Math.Sqrt(grid.CellAreaM2(new Cell(id, r, c)) / (size * size));
                if (c + 1 < cols) east[id] = k * Width(id, id + 1, new Coordinate(e.MaxX, e.MinY), new Coordinate(e.MaxX, e.MaxY));
                if (r + 1 < rows) north[id] = k * Width(id, id + cols, new Coordinate(e.MinX, e.MaxY), new Coordinate(e.MaxX, e.MaxY));
            }
        }

        return (east, north);
    }
}
