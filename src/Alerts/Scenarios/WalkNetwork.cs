using CrowdWatch.Alerts.Risk;
using CrowdWatch.Forecast.Scenarios;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// An area as scenarios walk it: every cell with its walkable m² and the most people it can physically hold, the
/// passages to its four neighbours (width from the walkable layer), and its zones with their thresholds and capacities.
/// Built once per area; scenarios over it are pure functions.
/// </summary>
public sealed class WalkNetwork
{
    /// <summary>Density at which a crowd stops moving of its own accord, persons/m²: no cell holds more.</summary>
    public const double DefaultJamDensity = 5;

    /// <summary>Lays the network over <paramref name="area"/>, with each zone's thresholds (in zone order).</summary>
    public WalkNetwork(Area area, IReadOnlyList<LevelThresholds> zoneThresholds, double jamDensity = DefaultJamDensity, double personsPerMetreMinute = 82)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(zoneThresholds);
        if (zoneThresholds.Count != area.Zones.Zones.Count) throw new ArgumentException($"expected thresholds for each of the {area.Zones.Zones.Count} zones");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(jamDensity);
        Area = area;
        var spec = area.Grid.Spec;
        var n = spec.CellCount;
        WalkableM2 = area.WalkableM2;
        Capacity = [.. WalkableM2.Select(w => w * jamDensity)];
        var (east, north) = PassageWidths.PerCell(area.Grid, area.WalkableSurfaces, area.Settings.WalkableFraction);
        var edges = new List<FlowEdge>();
        var near = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var id = 0; id < n; id++)
        {
            if (east[id] > 0) Join(id, id + 1, east[id]);
            if (north[id] > 0) Join(id, id + spec.Cols, north[id]);
        }

        void Join(int a, int b, double width)
        {
            edges.Add(new FlowEdge(a, b, width));
            near[a].Add(b);
            near[b].Add(a);
        }

        Edges = [.. edges];
        Neighbours = [.. near.Select(l => l.ToArray())];
        Flow = new CellFlow(Capacity, Edges, personsPerMetreMinute);
        var zones = area.Zones;
        ZoneThresholds = [.. zoneThresholds];
        ZoneWalkableM2 = [.. Enumerable.Range(0, zones.Zones.Count).Select(z => zones.ZoneWalkableM2(z, WalkableM2))];
        ZoneCapacity = [.. zones.Zones.Select(z => z.Capacity is > 0 ? (double)z.Capacity.Value : double.NaN)];
        ZoneOfCell = zones.PrimaryZoneByCell.ToArray();
    }

    /// <summary>The area.</summary>
    public Area Area { get; }

    /// <summary>Cells in the network (every cell of the grid).</summary>
    public int Cells => WalkableM2.Length;

    /// <summary>Walkable m² per cell.</summary>
    public double[] WalkableM2 { get; }

    /// <summary>Most people per cell: walkable m² × the jam density.</summary>
    public double[] Capacity { get; }

    /// <summary>The passages between neighbouring cells.</summary>
    public FlowEdge[] Edges { get; }

    /// <summary>Per cell, the cells a passage joins it to.</summary>
    public int[][] Neighbours { get; }

    /// <summary>The flow model over the passages.</summary>
    public CellFlow Flow { get; }

    /// <summary>Per zone, where its levels begin.</summary>
    public LevelThresholds[] ZoneThresholds { get; }

    /// <summary>Per zone, its walkable m².</summary>
    public double[] ZoneWalkableM2 { get; }

    /// <summary>Per zone, its safe capacity in people (NaN when it has none).</summary>
    public double[] ZoneCapacity { get; }

    /// <summary>Per cell, the zone covering at least half of it, or -1: the zone whose gate admits people to it.</summary>
    public int[] ZoneOfCell { get; }

    /// <summary>A zone's people from per-cell people (each cell by the share of it the zone covers).</summary>
    public double ZonePeople(int zone, ReadOnlySpan<double> people) => Area.Zones.ZonePeople(zone, people);

    /// <summary>A zone's level for <paramref name="people"/>: density and, where it has one, capacity use.</summary>
    public RiskLevel ZoneLevel(int zone, double people)
    {
        var cap = ZoneCapacity[zone];
        var walk = ZoneWalkableM2[zone];
        return ZoneThresholds[zone].LevelOf(walk > 0 ? people / walk : 0, double.IsNaN(cap) ? null : people / cap);
    }
}
