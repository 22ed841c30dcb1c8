namespace CrowdWatch.Simulation;

/// <summary>
/// Metres per degree around an area's centre (equirectangular): ample for moving simulated people a few kilometres,
/// where a few centimetres of distortion cannot matter, and far cheaper than projecting every step.
/// </summary>
/// <param name="MetresPerDegreeLon">Metres per degree of longitude at the centre's latitude.</param>
/// <param name="MetresPerDegreeLat">Metres per degree of latitude.</param>
public readonly record struct LocalFrame(double MetresPerDegreeLon, double MetresPerDegreeLat)
{
    /// <summary>The frame at latitude <paramref name="lat"/>.</summary>
    public static LocalFrame At(double lat) => new(111_320.0 * Math.Cos(lat * Math.PI / 180), 110_850.0);

    /// <summary>Ground distance in metres between two lon/lat points.</summary>
    public double Distance(double lon0, double lat0, double lon1, double lat1) =>
        Math.Sqrt(Square((lon1 - lon0) * MetresPerDegreeLon) + Square((lat1 - lat0) * MetresPerDegreeLat));

    private static double Square(double x) => x * x;
}
