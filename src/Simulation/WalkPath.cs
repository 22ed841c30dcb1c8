namespace CrowdWatch.Simulation;

/// <summary>A walking route as a polyline in lon/lat with its cumulative length, for positions along it.</summary>
public sealed class WalkPath
{
    private readonly double[] _lon;
    private readonly double[] _lat;
    private readonly double[] _along;

    /// <summary>A path through the given points.</summary>
    public WalkPath(double[] lon, double[] lat, LocalFrame frame)
    {
        ArgumentNullException.ThrowIfNull(lon);
        ArgumentNullException.ThrowIfNull(lat);
        if (lon.Length != lat.Length || lon.Length < 2) throw new ArgumentException("a path needs at least two points");
        _lon = lon;
        _lat = lat;
        _along = new double[lon.Length];
        for (var i = 1; i < lon.Length; i++) _along[i] = _along[i - 1] + frame.Distance(lon[i - 1], lat[i - 1], lon[i], lat[i]);
    }

    /// <summary>Length in metres.</summary>
    public double LengthM => _along[^1];

    /// <summary>The point <paramref name="fraction"/> (0..1) of the way along.</summary>
    public (double Lon, double Lat) At(double fraction)
    {
        var d = Math.Clamp(fraction, 0, 1) * LengthM;
        var i = Array.BinarySearch(_along, d);
        if (i >= 0) return (_lon[i], _lat[i]);
        i = Math.Max(1, ~i);
        var span = _along[i] - _along[i - 1];
        var f = span > 0 ? (d - _along[i - 1]) / span : 0;
        return (_lon[i - 1] + (f * (_lon[i] - _lon[i - 1])), _lat[i - 1] + (f * (_lat[i] - _lat[i - 1])));
    }
}
