using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Tests.Grids;

public class GridTests
{
    private static readonly Grid Sample = Grid.Create(new GridDefinition { Bounds = new GeoBounds(106.44, 29.54, 106.595, 29.595) });

    [Fact]
    public void Grid_from_bounds_covers_the_box_with_snapped_100m_cells()
    {
        var s = Sample.Spec;
        Assert.Equal(32648, s.Epsg);
        Assert.Equal(0, s.OriginX % 100);
        Assert.Equal(0, s.OriginY % 100);
        foreach (var (lon, lat) in new[] { (106.44, 29.54), (106.595, 29.54), (106.44, 29.595), (106.595, 29.595) })
            Assert.NotNull(Sample.Locate(lon, lat));
        Assert.Null(Sample.Locate(106.43, 29.56));
    }

    [Fact]
    public void Grid_from_centre_and_extent_has_the_requested_size()
    {
        var grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 2000, HeightM = 1000, CellSizeM = 50 });
        Assert.InRange(grid.Spec.Cols, 40, 41);
        Assert.InRange(grid.Spec.Rows, 20, 21);
        Assert.NotNull(grid.Locate(106.5790, 29.5630));
    }

    [Fact]
    public void Every_cell_round_trips_through_id_row_col_and_its_centre()
    {
        for (var id = 0; id < Sample.Spec.CellCount; id++)
        {
            var cell = Sample.CellAt(id);
            Assert.Equal(cell, Sample.CellAt(cell.Row, cell.Col));
            var (lon, lat) = Sample.CellCentre(cell);
            var located = Sample.Locate(lon, lat);
            Assert.NotNull(located);
            Assert.Equal(id, located.Value.CellId);
            Assert.Equal(id, Sample.TryLocateCell(lon, lat));
        }
    }

    [Fact]
    public void Cell_polygon_is_closed_and_contains_its_centre()
    {
        var cell = Sample.CellAt(30, 70);
        var polygon = Sample.CellPolygon(cell);
        Assert.True(polygon.IsValid);
        Assert.Equal(polygon.Coordinates[0], polygon.Coordinates[^1]);
        var (lon, lat) = Sample.CellCentre(cell);
        Assert.True(polygon.Contains(new NetTopologySuite.Geometries.Point(lon, lat)));
        Assert.Equal(5, polygon.Coordinates.Length);
    }

    [Fact]
    public void Cell_area_is_the_ground_area_under_the_projection_scale()
    {
        var cell = Sample.CellAt(30, 70);
        var area = Sample.CellAreaM2(cell);
        // At 1.5° from UTM 48N's central meridian the scale is about 0.99989, so ground cells are slightly larger.
        Assert.InRange(area, 10_001, 10_004);
        var (lon, lat) = Sample.CellCentre(cell);
        Assert.Equal(10_000 / Math.Pow(Sample.PointScale(lon, lat), 2), area, 6);
    }

    [Fact]
    public void Bad_definitions_are_refused_with_a_reason()
    {
        Assert.Contains("min < max", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Bounds = new GeoBounds(106.6, 29.5, 106.4, 29.6) })).Message, StringComparison.Ordinal);
        Assert.Contains("cell size", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Bounds = new GeoBounds(106.4, 29.5, 106.6, 29.6), CellSizeM = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Web Mercator", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Bounds = new GeoBounds(106.4, 29.5, 106.6, 29.6), Epsg = 3857 })).Message, StringComparison.Ordinal);
        Assert.Contains("at most", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Centre = (106.5, 29.5), WidthM = 300_000, HeightM = 300_000, CellSizeM = 10 })).Message, StringComparison.Ordinal);
        Assert.Contains("from the central meridian (105°) of EPSG:32648", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Bounds = new GeoBounds(100.0, 29.5, 106.0, 29.6) })).Message, StringComparison.Ordinal);
        Assert.Contains("EPSG:4545", Assert.Throws<ArgumentException>(() => GridSpec.Create(new GridDefinition { Bounds = new GeoBounds(104.0, 29.5, 106.6, 29.6), Epsg = 4545 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gauss_kruger_grid_locates_the_same_place_as_projected()
    {
        var grid = Grid.Create(new GridDefinition { Bounds = new GeoBounds(106.44, 29.54, 106.595, 29.595), Epsg = 4545 });
        var at = grid.Locate(106.5772, 29.5575);
        Assert.NotNull(at);
        Assert.Equal(362107.045847, at.Value.X, 3);
        Assert.Equal(3271907.528821, at.Value.Y, 3);
    }

    [Fact]
    public void Grid_without_a_fitted_projection_locates_points_exactly()
    {
        var spec = GridSpec.Create(new GridDefinition { Centre = (105.0, 30.0), WidthM = 560_000, HeightM = 560_000, CellSizeM = 1000 });
        var grid = new Grid(spec, maxFitDegree: 1);
        Assert.Null(grid.FastProjection);
        AssertHotPathMatchesExact(grid);
    }

    [Fact]
    public void Grid_of_a_province_locates_through_its_fit_as_the_exact_lookup_does()
    {
        var grid = Grid.Create(new GridDefinition { Centre = (105.0, 30.0), WidthM = 560_000, HeightM = 560_000, CellSizeM = 1000 });
        Assert.NotNull(grid.FastProjection);
        Assert.InRange(grid.FastProjection!.MaxError, 0, PolynomialProjection.Tolerance);
        AssertHotPathMatchesExact(grid);
    }

    private static void AssertHotPathMatchesExact(Grid grid)
    {
        var random = new Random(3);
        var lon = new double[2000];
        var lat = new double[2000];
        for (var i = 0; i < lon.Length; i++)
        {
            lon[i] = 102.5 + (random.NextDouble() * 5);
            lat[i] = 27.6 + (random.NextDouble() * 4.8);
        }

        var cells = new int[lon.Length];
        grid.LocateCells(lon, lat, cells);
        for (var i = 0; i < lon.Length; i++)
        {
            var exact = grid.Locate(lon[i], lat[i])?.CellId ?? -1;
            Assert.Equal(exact, grid.TryLocateCell(lon[i], lat[i]));
            Assert.Equal(exact, cells[i]);
        }
    }
}

