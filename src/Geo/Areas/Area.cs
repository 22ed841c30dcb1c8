using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Time;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Areas;

/// <summary>An area ready for use: its settings, grid, walkable area per cell and zones.</summary>
public sealed class Area
{
    /// <summary>Builds an area from settings and already-read layers (WGS84 geometries).</summary>
    public Area(AreaSettings settings, IReadOnlyList<NetTopologySuite.Geometries.Geometry> walkableSurfaces, IReadOnlyList<Zone> zones)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(walkableSurfaces);
        ArgumentNullException.ThrowIfNull(zones);
        var problems = settings.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        Settings = settings;
        Grid = Grid.Create(settings.Grid);
        WalkableSurfaces = walkableSurfaces;
        WalkableM2 = WalkableArea.PerCell(Grid, walkableSurfaces, settings.WalkableFraction);
        Zones = new ZoneLayer(Grid, zones);
        K = new KThreshold(settings.K, settings.PanelFactor);
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
    }

    /// <summary>The area's time zone, which slots are aligned in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The area's name.</summary>
    public string Name => Settings.Name;

    /// <summary>The settings.</summary>
    public AreaSettings Settings { get; }

    /// <summary>The grid.</summary>
    public Grid Grid { get; }

    /// <summary>The walkable-surface layer (WGS84) the walkable areas come from; empty when a fraction of each cell is used.</summary>
    public IReadOnlyList<NetTopologySuite.Geometries.Geometry> WalkableSurfaces { get; }

    /// <summary>Walkable ground m² per cell.</summary>
    public double[] WalkableM2 { get; }

    /// <summary>The zones over the grid (possibly none).</summary>
    public ZoneLayer Zones { get; }

    /// <summary>The viewer k floor.</summary>
    public KThreshold K { get; }

    /// <summary>A new slot clock for this area (clocks cache and are not thread-safe: one per stream).</summary>
    public SlotClock NewClock() => new(Settings.SlotMinutes, TimeZone);
}
