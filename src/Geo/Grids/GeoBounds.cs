namespace CrowdWatch.Geo.Grids;

/// <summary>A WGS84 bounding box in degrees.</summary>
public readonly record struct GeoBounds(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>The centre of the box.</summary>
    public (double Lon, double Lat) Centre => ((MinLon + MaxLon) / 2.0, (MinLat + MaxLat) / 2.0);

    /// <summary>Whether the box is well formed and lies on the globe.</summary>
    public bool IsValid(out string? reason)
    {
        reason = null;
        if (!(double.IsFinite(MinLon) && double.IsFinite(MinLat) && double.IsFinite(MaxLon) && double.IsFinite(MaxLat)))
            reason = "bounds must be finite numbers";
        else if (MinLon < -180 || MaxLon > 180 || MinLat < -90 || MaxLat > 90)
            reason = "bounds must lie within lon -180..180 and lat -90..90";
        else if (MinLon >= MaxLon || MinLat >= MaxLat)
            reason = "bounds must be [minLon, minLat, maxLon, maxLat] with min < max";
        return reason is null;
    }
}
