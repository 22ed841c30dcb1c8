using CrowdWatch.Geo.Grids;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Storage;

/// <summary>An area as a store keeps it: its grid, each cell's walkable m², the walkable-surface layer, its zones.</summary>
/// <param name="Grid">The grid's layout.</param>
/// <param name="WalkableM2">Walkable m² per cell, by cell id.</param>
/// <param name="WalkableSurfaces">The walkable-surface layer (WGS84).</param>
/// <param name="Zones">The zones' names.</param>
public sealed record StoredArea(GridSpec Grid, IReadOnlyList<double> WalkableM2, IReadOnlyList<Geometry> WalkableSurfaces, IReadOnlyList<string> Zones);
