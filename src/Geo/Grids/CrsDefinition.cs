namespace CrowdWatch.Geo.Grids;

/// <summary>
/// A metric projected coordinate reference system a grid can be laid out in: a transverse Mercator projection
/// (UTM on WGS84, or Gauss-Krüger on CGCS2000) identified by its EPSG code.
/// </summary>
/// <param name="Epsg">The EPSG code, e.g. 32648 for WGS 84 / UTM zone 48N.</param>
/// <param name="Name">The EPSG name.</param>
/// <param name="CentralMeridian">Longitude of the central meridian in degrees.</param>
/// <param name="ScaleFactor">Scale factor on the central meridian.</param>
/// <param name="FalseEasting">False easting in metres (includes the zone prefix for prefixed Gauss-Krüger codes).</param>
/// <param name="FalseNorthing">False northing in metres (10 000 km for southern UTM zones).</param>
/// <param name="SemiMajorAxis">Ellipsoid semi-major axis in metres.</param>
/// <param name="InverseFlattening">Ellipsoid inverse flattening.</param>
/// <param name="ZoneHalfWidthDegrees">Half the width of the projection zone: 3° for 6° zones, 1.5° for 3° zones.</param>
public sealed record CrsDefinition(
    int Epsg,
    string Name,
    double CentralMeridian,
    double ScaleFactor,
    double FalseEasting,
    double FalseNorthing,
    double SemiMajorAxis,
    double InverseFlattening,
    double ZoneHalfWidthDegrees)
{
    /// <summary>The PROJ string for this CRS, so users can check any coordinate with <c>cs2cs</c>.</summary>
    public string ProjString => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"+proj=tmerc +lat_0=0 +lon_0={CentralMeridian} +k={ScaleFactor} +x_0={FalseEasting} +y_0={FalseNorthing} +a={SemiMajorAxis} +rf={InverseFlattening} +units=m");
}
