namespace CrowdWatch.Geo.Grids;

/// <summary>
/// The projected CRSs CrowdWatch lays grids out in. Only conformal metric projections whose metres are ground metres
/// to within a few parts in ten thousand inside their zone are accepted, because densities are people per m².
/// </summary>
public static class CrsCatalog
{
    private const double Wgs84A = 6378137.0;
    private const double Wgs84Rf = 298.257223563;
    private const double Cgcs2000A = 6378137.0;
    private const double Cgcs2000Rf = 298.257222101;

    private static readonly HashSet<int> WebMercatorCodes = [3857, 900913, 3785, 102100, 102113, 3587];

    /// <summary>A one-line description of the supported codes, for error messages and help.</summary>
    public const string SupportedSummary =
        "WGS 84 / UTM zones (EPSG:32601-32660 north, 32701-32760 south), CGCS2000 / Gauss-Kruger 6-degree zones "
        + "(EPSG:4491-4501 with zone prefix, 4502-4512 by central meridian) and 3-degree zones "
        + "(EPSG:4513-4533 with zone prefix, 4534-4554 by central meridian)";

    /// <summary>The UTM zone CRS (WGS 84) whose zone contains the given point: the default for a new grid.</summary>
    public static CrsDefinition UtmFor(double lon, double lat)
    {
        var zone = Math.Clamp((int)Math.Floor((lon + 180.0) / 6.0) + 1, 1, 60);
        return Resolve(lat >= 0 ? 32600 + zone : 32700 + zone);
    }

    /// <summary>Whether <paramref name="epsg"/> names a supported CRS; otherwise <paramref name="reason"/> says why not.</summary>
    public static bool TryResolve(int epsg, out CrsDefinition? crs, out string? reason)
    {
        crs = null;
        reason = null;
        if (WebMercatorCodes.Contains(epsg))
        {
            reason = $"EPSG:{epsg} is Web Mercator, refused: its 'metres' are not metres on the ground (they are stretched "
                + "by 1/cos(latitude), about 15% at 30°N), so 100 m cells and persons/m² would be wrong. "
                + $"Use the default UTM zone or one of: {SupportedSummary}.";
            return false;
        }

        if (epsg is >= 32601 and <= 32660 or >= 32701 and <= 32760)
        {
            var north = epsg < 32700;
            var zone = epsg % 100;
            crs = new CrsDefinition(epsg, $"WGS 84 / UTM zone {zone}{(north ? 'N' : 'S')}", -183.0 + (6.0 * zone), 0.9996,
                500000.0, north ? 0.0 : 10000000.0, Wgs84A, Wgs84Rf, 3.0);
            return true;
        }

        if (epsg is >= 4491 and <= 4501)
        {
            var zone = epsg - 4491 + 13;
            crs = GaussKruger(epsg, $"CGCS2000 / Gauss-Kruger zone {zone}", (6.0 * zone) - 3.0, (zone * 1e6) + 500000.0, 3.0);
            return true;
        }

        if (epsg is >= 4502 and <= 4512)
        {
            var cm = 75.0 + (6.0 * (epsg - 4502));
            crs = GaussKruger(epsg, $"CGCS2000 / Gauss-Kruger CM {cm}E", cm, 500000.0, 3.0);
            return true;
        }

        if (epsg is >= 4513 and <= 4533)
        {
            var zone = epsg - 4513 + 25;
            crs = GaussKruger(epsg, $"CGCS2000 / 3-degree Gauss-Kruger zone {zone}", 3.0 * zone, (zone * 1e6) + 500000.0, 1.5);
            return true;
        }

        if (epsg is >= 4534 and <= 4554)
        {
            var cm = 75.0 + (3.0 * (epsg - 4534));
            crs = GaussKruger(epsg, $"CGCS2000 / 3-degree Gauss-Kruger CM {cm}E", cm, 500000.0, 1.5);
            return true;
        }

        reason = $"EPSG:{epsg} is not a supported grid CRS. Supported: {SupportedSummary}.";
        return false;
    }

    /// <summary>Resolves a supported code or throws <see cref="ArgumentException"/> with the reason.</summary>
    public static CrsDefinition Resolve(int epsg) =>
        TryResolve(epsg, out var crs, out var reason) ? crs! : throw new ArgumentException(reason, nameof(epsg));

    private static CrsDefinition GaussKruger(int epsg, string name, double cm, double falseEasting, double halfWidth) =>
        new(epsg, name, cm, 1.0, falseEasting, 0.0, Cgcs2000A, Cgcs2000Rf, halfWidth);
}
