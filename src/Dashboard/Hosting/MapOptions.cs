namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// The web map's base map. By default the deployment's own GeoJSON (no tile server is needed); users who have one
/// give a MapLibre style URL, or a raster tile URL template drawn under the live layers.
/// </summary>
public sealed class MapOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Map";

    /// <summary>The area the page opens on (default: the first).</summary>
    public string? Area { get; set; }

    /// <summary>A MapLibre style JSON URL replacing the GeoJSON base map.</summary>
    public string? StyleUrl { get; set; }

    /// <summary>A raster tile URL template (<c>https://host/{z}/{x}/{y}.png</c>) drawn under the live layers.</summary>
    public string? TileUrl { get; set; }
}
