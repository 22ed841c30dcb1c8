namespace CrowdWatch.Geo.Grids;

/// <summary>
/// What a user writes to define a grid: a WGS84 area (a bounding box, or a centre plus an extent in metres), a cell
/// size in metres and optionally the EPSG code of the projected CRS (default: the UTM zone of the area's centre).
/// </summary>
public sealed record GridDefinition
{
    /// <summary>The bounding box; exclusive with <see cref="Centre"/>.</summary>
    public GeoBounds? Bounds { get; init; }

    /// <summary>The centre (lon, lat); used with <see cref="WidthM"/> and <see cref="HeightM"/>.</summary>
    public (double Lon, double Lat)? Centre { get; init; }

    /// <summary>East-west extent in metres around <see cref="Centre"/>.</summary>
    public double WidthM { get; init; }

    /// <summary>North-south extent in metres around <see cref="Centre"/>.</summary>
    public double HeightM { get; init; }

    /// <summary>Cell edge in metres (default 100).</summary>
    public double CellSizeM { get; init; } = 100.0;

    /// <summary>EPSG code of the projected CRS, or null for the UTM zone of the centre.</summary>
    public int? Epsg { get; init; }
}
