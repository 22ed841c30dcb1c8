using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Tests.Grids;

public class CrsCatalogTests
{
    [Theory]
    [InlineData(3857)]
    [InlineData(900913)]
    public void Web_Mercator_is_refused_because_its_metres_are_not_metres(int epsg)
    {
        Assert.False(CrsCatalog.TryResolve(epsg, out var crs, out var reason));
        Assert.Null(crs);
        Assert.Contains("Web Mercator", reason, StringComparison.Ordinal);
        Assert.Contains("not metres", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_code_names_the_supported_list()
    {
        var e = Assert.Throws<ArgumentException>(() => CrsCatalog.Resolve(2154));
        Assert.Contains("EPSG:2154", e.Message, StringComparison.Ordinal);
        Assert.Contains("UTM", e.Message, StringComparison.Ordinal);
        Assert.Contains("Gauss-Kruger", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(106.5772, 29.5575, 32648)]
    [InlineData(-73.98, 40.75, 32618)]
    [InlineData(151.2, -33.87, 32756)]
    [InlineData(-180, 10, 32601)]
    [InlineData(180, 10, 32660)]
    public void Default_crs_is_the_utm_zone_of_the_centre(double lon, double lat, int epsg) =>
        Assert.Equal(epsg, CrsCatalog.UtmFor(lon, lat).Epsg);

    [Theory]
    [InlineData(4491, 75, 13_500_000)]
    [InlineData(4496, 105, 18_500_000)]
    [InlineData(4502, 75, 500_000)]
    [InlineData(4513, 75, 25_500_000)]
    [InlineData(4526, 114, 38_500_000)]
    [InlineData(4545, 108, 500_000)]
    [InlineData(4554, 135, 500_000)]
    public void Cgcs2000_gauss_kruger_codes_have_the_epsg_parameters(int epsg, double centralMeridian, double falseEasting)
    {
        var crs = CrsCatalog.Resolve(epsg);
        Assert.Equal(centralMeridian, crs.CentralMeridian);
        Assert.Equal(falseEasting, crs.FalseEasting);
        Assert.Equal(1.0, crs.ScaleFactor);
        Assert.Equal(298.257222101, crs.InverseFlattening);
    }
}
