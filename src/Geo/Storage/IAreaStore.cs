using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Storage;

/// <summary>
/// The spatial questions a user asks of stored counts: which cells a drawn area covers, and by how much; and the
/// counts in a drawn area over a time window. PostGIS answers them in SQL from the geometry it keeps; the embedded
/// store answers them with NetTopologySuite; both must agree.
/// </summary>
public interface IAreaStore
{
    /// <summary>
    /// Keeps the area's grid, its cells (with their walkable m²), the walkable-surface layer and the zones, with
    /// their geometry, replacing what was kept for the area before.
    /// </summary>
    Task SaveAreaAsync(Area area, CancellationToken cancellationToken = default);

    /// <summary>The area as last saved; null when it never was.</summary>
    Task<StoredArea?> LoadAreaAsync(string area, CancellationToken cancellationToken = default);

    /// <summary>The cells a drawn polygon (WGS84) covers, each with the area and share of it covered, in cell order.</summary>
    Task<IReadOnlyList<ZoneOverlap>> OverlapsAsync(Area area, Geometry drawnWgs84, CancellationToken cancellationToken = default);

    /// <summary>Per slot of the window, the channel's total in the drawn polygon: each cell's value by the share covered.</summary>
    Task<IReadOnlyList<(long SlotStartMs, double Value)>> ReadAreaAsync(Area area, Geometry drawnWgs84, string channel, long fromMs, long toMs,
        CancellationToken cancellationToken = default);
}
