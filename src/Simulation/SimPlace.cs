using NetTopologySuite.Geometries;

namespace CrowdWatch.Simulation;

/// <summary>A place people go to: a zone with its kind, outline (WGS84) and capacity.</summary>
/// <param name="Name">The zone's name.</param>
/// <param name="Kind">Kind of place.</param>
/// <param name="Outline">Outline in lon/lat.</param>
/// <param name="Capacity">People admitted at once.</param>
/// <param name="Draw">How strongly it attracts visitors relative to others of its size (1 ordinary).</param>
public sealed record SimPlace(string Name, PlaceKind Kind, Geometry Outline, int Capacity, double Draw = 1);
