namespace CrowdWatch.Alerts.Places;

/// <summary>A place warnings are about: a zone, or a cluster of hot cells (a risk point).</summary>
/// <param name="Id">Stable id within the area, for example <c>zone:hongyadong</c> or <c>cells:4238</c>.</param>
/// <param name="NameZh">Its Chinese name, for example 洪崖洞.</param>
/// <param name="NameEn">Its English name, for example Hongyadong.</param>
/// <param name="Ring">Its outline as a closed ring of (lat, lon) points, first point repeated last.</param>
public sealed record Place(string Id, string NameZh, string NameEn, IReadOnlyList<(double Lat, double Lon)> Ring);
