using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Tests.Grids;

public class ProjectionTests
{
    private static readonly Grid Sample = Grid.Create(new GridDefinition { Bounds = new GeoBounds(106.44, 29.54, 106.595, 29.595) });

    // Reference values computed with PROJ 9.1.1, e.g.
    //   echo "106.5772 29.5575" | cs2cs -f %.6f +proj=longlat +ellps=WGS84 +to $(projinfo EPSG:32648 -o PROJ -q)
    // Points span each zone: its centre, both edges (±3° or ±1.5° from the central meridian), the equator and high latitudes.
    public static TheoryData<int, double, double, double, double> ProjReference => new()
    {
        { 32648, 106.5772, 29.5575, 652797.594265, 3270792.008738 }, // Jiefangbei
        { 32648, 106.45, 29.579, 640443.401720, 3273013.976894 },    // Ciqikou
        { 32648, 106.588, 29.566, 653831.141698, 3271748.264117 },   // Chaotianmen
        { 32648, 102.0001, 29.5, 209158.264679, 3267134.875132 },    // west edge of zone 48
        { 32648, 107.9999, 29.5, 790841.735321, 3267134.875132 },    // east edge
        { 32648, 105, 0.0001, 500000.000000, 11.053005 },            // equator, central meridian
        { 32648, 102.0001, 60, 332710.752820, 6655205.230657 },
        { 32648, 107.9999, 80, 558130.279057, 8883084.856026 },
        { 32648, 103.3, 45.1, 366247.304130, 4995464.968723 },
        { 32750, 115.0, -33.9, 315073.883599, 6247131.133851 },      // southern hemisphere
        { 32750, 114.0001, -10.5, 171598.439804, 8837737.115400 },
        { 32750, 117.9999, -45, 578807.421385, 5016563.328924 },
        { 4545, 106.5772, 29.5575, 362107.045847, 3271907.528821 },  // CGCS2000 3-degree GK, CM 108E
        { 4545, 109.4999, 29.5, 645448.351358, 3265626.881994 },
        { 4545, 106.5001, 35, 363071.478969, 3875621.044571 },
        { 4496, 106.5772, 29.5575, 18652858.737760, 3272100.848983 }, // CGCS2000 6-degree GK zone 18, prefixed easting
        { 4496, 102.0001, 29.5, 18209041.881430, 3268442.251938 },
    };

    [Theory]
    [MemberData(nameof(ProjReference))]
    public void Forward_projection_agrees_with_PROJ_within_a_millimetre(int epsg, double lon, double lat, double x, double y)
    {
        var projection = new Projection(CrsCatalog.Resolve(epsg));

        var (px, py) = projection.Forward(lon, lat);

        Assert.InRange(Math.Abs(px - x), 0, 0.001);
        Assert.InRange(Math.Abs(py - y), 0, 0.001);
    }

    [Theory]
    [MemberData(nameof(ProjReference))]
    public void Inverse_projection_returns_to_the_same_lon_lat(int epsg, double lon, double lat, double x, double y)
    {
        var projection = new Projection(CrsCatalog.Resolve(epsg));

        var (plon, plat) = projection.Inverse(x, y);

        // 1e-8 degrees is about a millimetre.
        Assert.InRange(Math.Abs(plon - lon), 0, 1e-8);
        Assert.InRange(Math.Abs(plat - lat), 0, 1e-8);
    }

    [Fact]
    public void Fast_projection_agrees_with_PROJ_inside_the_sample_grid()
    {
        var grid = Sample;
        Assert.NotNull(grid.FastProjection);
        var reference = ProjReference.Where(r => (int)r[0] == 32648 && grid.Locate((double)r[1], (double)r[2]) is not null).ToList();
        Assert.Equal(3, reference.Count);

        foreach (var r in reference)
        {
            Assert.True(grid.FastProjection!.TryForward((double)r[1], (double)r[2], out var x, out var y));
            Assert.InRange(Math.Abs(x - (double)r[3]), 0, 0.001);
            Assert.InRange(Math.Abs(y - (double)r[4]), 0, 0.001);
        }
    }

    [Fact]
    public void Fast_projection_stays_within_a_tenth_of_a_millimetre_of_ProjNET_everywhere_in_the_grid()
    {
        var grid = Sample;
        var random = new Random(42);
        var worst = 0.0;
        for (var i = 0; i < 20_000; i++)
        {
            var lon = 106.44 + (random.NextDouble() * 0.155);
            var lat = 29.54 + (random.NextDouble() * 0.055);
            var (ex, ey) = grid.Projection.Forward(lon, lat);
            Assert.True(grid.FastProjection!.TryForward(lon, lat, out var ax, out var ay));
            worst = Math.Max(worst, Math.Max(Math.Abs(ax - ex), Math.Abs(ay - ey)));
        }

        Assert.InRange(worst, 0, PolynomialProjection.Tolerance);
    }

    [Fact]
    public void Hot_path_cell_lookup_matches_the_exact_lookup_away_from_cell_edges()
    {
        var grid = Sample;
        var random = new Random(7);
        var compared = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var lon = 106.43 + (random.NextDouble() * 0.18);
            var lat = 29.53 + (random.NextDouble() * 0.08);
            var exact = grid.Locate(lon, lat);
            if (exact is { } e)
            {
                var fx = (e.X - grid.Spec.OriginX) % grid.Spec.CellSizeM;
                var fy = (e.Y - grid.Spec.OriginY) % grid.Spec.CellSizeM;
                if (Math.Min(Math.Min(fx, 100 - fx), Math.Min(fy, 100 - fy)) < 1e-3) continue;
            }

            Assert.Equal(exact?.CellId ?? -1, grid.TryLocateCell(lon, lat));
            compared++;
        }

        Assert.True(compared > 49_000);
    }

    [Fact]
    public void Batch_cell_lookup_gives_exactly_the_single_point_results()
    {
        var grid = Sample;
        var random = new Random(9);
        const int n = 100_003; // not a multiple of the vector width
        var lon = new double[n];
        var lat = new double[n];
        for (var i = 0; i < n; i++)
        {
            lon[i] = 106.40 + (random.NextDouble() * 0.24);
            lat[i] = 29.50 + (random.NextDouble() * 0.13);
        }

        lon[5] = double.NaN;
        lat[6] = double.PositiveInfinity;
        (lon[7], lat[7]) = (-1e300, 1e300);
        var (cx, cy) = grid.CellCentre(grid.CellAt(grid.Spec.Rows - 1, grid.Spec.Cols - 1));
        (lon[8], lat[8]) = (cx, cy);
        var cells = new int[n];

        grid.LocateCells(lon, lat, cells);

        var inside = 0;
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(grid.TryLocateCell(lon[i], lat[i]), cells[i]);
            if (cells[i] >= 0) inside++;
        }

        Assert.InRange(inside, n / 5, n / 2); // the grid covers about a quarter of the sampled box
        Assert.Equal(grid.Spec.CellCount - 1, cells[8]);
    }
}

