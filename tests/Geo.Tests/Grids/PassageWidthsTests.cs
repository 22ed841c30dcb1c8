using CrowdWatch.Geo.Grids;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Tests.Grids;

public class PassageWidthsTests
{
    private static readonly GeometryFactory Factory = new();

    [Fact]
    public void A_street_crossing_a_border_is_as_wide_as_the_street_and_a_surveyed_border_without_one_has_no_passage()
    {
        var grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 400, HeightM = 300 });
        // A 12 m wide street running east through the middle row, in projected metres, taken back to lon/lat.
        var s = grid.Spec;
        var y = s.OriginY + (1.5 * s.CellSizeM);
        Coordinate Lonlat(double x, double yy) { var (lon, lat) = grid.Projection.Inverse(x, yy); return new Coordinate(lon, lat); }
        var street = Factory.CreatePolygon([Lonlat(s.OriginX, y - 6), Lonlat(s.MaxX, y - 6), Lonlat(s.MaxX, y + 6), Lonlat(s.OriginX, y + 6), Lonlat(s.OriginX, y - 6)]);
        var (east, north) = PassageWidths.PerCell(grid, [street], 0.35);
        var middle = grid.CellAt(1, 1).Id;
        Assert.InRange(east[middle], 11.9, 12.1);
        // Its north side is surveyed and the street does not cross it.
        Assert.Equal(0, north[middle]);
        // The last column has no east neighbour; the top row none to the north.
        Assert.Equal(0, east[grid.CellAt(1, s.Cols - 1).Id]);
        Assert.Equal(0, north[grid.CellAt(s.Rows - 1, 0).Id]);
    }

    [Fact]
    public void Without_a_survey_a_border_is_walkable_by_the_areas_fraction()
    {
        var grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 400, HeightM = 300 });
        var (east, north) = PassageWidths.PerCell(grid, [], 0.35);
        Assert.InRange(east[0], 34.9, 35.1);
        Assert.InRange(north[0], 34.9, 35.1);
    }
}
