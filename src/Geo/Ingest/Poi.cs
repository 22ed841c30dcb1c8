namespace CrowdWatch.Geo.Ingest;

/// <summary>A point of interest people search for on maps.</summary>
/// <param name="Id">Stable id used by search records (<c>poi_id</c>).</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Aliases">Other names people type.</param>
/// <param name="Lat">Latitude, WGS84.</param>
/// <param name="Lon">Longitude, WGS84.</param>
public sealed record Poi(string Id, string NameZh, string NameEn, IReadOnlyList<string> Aliases, double Lat, double Lon);
