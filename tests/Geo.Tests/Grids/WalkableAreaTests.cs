using CrowdWatch.Geo.Grids;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Tests.Grids;

public class WalkableAreaTests
{
    [Fact]
    public void Walkable_area_is_the_layer_inside_each_cell_or_the_fraction_elsewhere()
    {
        var grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 1000 });
        var cell = grid.CellAt(4, 4);
        var e = grid.CellEnvelope(cell);
        // A plaza covering the west half of one cell, drawn as two overlapping polygons that must not count twice.
        var f = new GeometryFactory();
        Polygon Rect(double x0, double x1) => f.CreatePolygon(new[] { (x0, e.MinY), (x1, e.MinY), (x1, e.MaxY), (x0, e.MaxY), (x0, e.MinY) }
            .Select(p => { var (lon, lat) = grid.Projection.Inverse(p.Item1, p.Item2); return new Coordinate(lon, lat); }).ToArray());
        var plaza = new Geometry[] { Rect(e.MinX, e.MinX + 30), Rect(e.MinX + 20, e.MinX + 50) };

        var walkable = WalkableArea.PerCell(grid, plaza, 0.4);

        var ground = grid.CellAreaM2(cell) / 10_000;
        Assert.Equal(5_000 * ground, walkable[cell.Id], 0);
        var other = grid.CellAt(0, 0);
        Assert.Equal(0.4 * grid.CellAreaM2(other), walkable[other.Id], 3);
    }
}
