using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Zones;

/// <summary>A venue or zone watched as a whole: a polygon with an optional capacity, walkable area and thresholds.</summary>
/// <param name="Name">The zone's name, unique in its layer.</param>
/// <param name="Geometry">Polygon or MultiPolygon in WGS84 lon/lat.</param>
/// <param name="Capacity">Safe capacity in people, if known.</param>
/// <param name="WalkableAreaM2">Walkable area in m², if surveyed; otherwise derived from the cells.</param>
/// <param name="Thresholds">Zone-specific density thresholds, if any.</param>
/// <param name="NameZh">Its Chinese display name (<c>name_zh</c>), if given.</param>
/// <param name="NameEn">Its English display name (<c>name_en</c>), if given.</param>
public sealed record Zone(string Name, Geometry Geometry, int? Capacity, double? WalkableAreaM2, ZoneThresholds? Thresholds,
    string? NameZh = null, string? NameEn = null);
