using CrowdWatch.Geo.Grids;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace CrowdWatch.Geo.Zones;

/// <summary>
/// The zones of one area laid over its grid: each zone's overlap with each cell, so that zone counts and densities
/// follow from cell counts, and an STRtree to find the zones at a point.
/// </summary>
public sealed class ZoneLayer
{
    private readonly STRtree<int> _index = new();
    private readonly IPreparedGeometry[] _prepared;
    private readonly int[] _primaryZone;

    /// <summary>Lays <paramref name="zones"/> over <paramref name="grid"/>.</summary>
    public ZoneLayer(Grid grid, IReadOnlyList<Zone> zones)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(zones);
        Grid = grid;
        Zones = zones;
        _prepared = new IPreparedGeometry[zones.Count];
        var overlaps = new ZoneOverlap[zones.Count][];
        var projectedAreas = new double[zones.Count];
        _primaryZone = new int[grid.Spec.CellCount];
        Array.Fill(_primaryZone, -1);
        var primaryFraction = new double[grid.Spec.CellCount];
        var cellArea = grid.Spec.CellSizeM * grid.Spec.CellSizeM;
        var factory = new GeometryFactory();

        for (var z = 0; z < zones.Count; z++)
        {
            var projected = grid.Projection.Forward(zones[z].Geometry);
            projectedAreas[z] = projected.Area;
            _prepared[z] = PreparedGeometryFactory.Prepare(projected);
            _index.Insert(projected.EnvelopeInternal, z);

            var list = new List<ZoneOverlap>();
            var (r0, r1, c0, c1) = grid.CellRange(projected.EnvelopeInternal);
            for (var r = r0; r <= r1; r++)
            {
                for (var c = c0; c <= c1; c++)
                {
                    var cell = grid.CellAt(r, c);
                    var square = factory.ToGeometry(grid.CellEnvelope(cell));
                    double area;
                    if (_prepared[z].Contains(square)) area = cellArea;
                    else if (!_prepared[z].Intersects(square)) continue;
                    else area = projected.Intersection(square).Area;
                    if (area <= 0) continue;
                    var fraction = area / cellArea;
                    list.Add(new ZoneOverlap(cell.Id, area, fraction));
                    if (fraction > primaryFraction[cell.Id]) { primaryFraction[cell.Id] = fraction; _primaryZone[cell.Id] = z; }
                }
            }

            overlaps[z] = [.. list];
        }

        // A cell belongs to a zone for flows only if the zone covers at least half of it.
        for (var i = 0; i < _primaryZone.Length; i++)
            if (primaryFraction[i] < 0.5) _primaryZone[i] = -1;

        Overlaps = overlaps;
        ProjectedAreasM2 = projectedAreas;
        _index.Build();
    }

    /// <summary>The grid.</summary>
    public Grid Grid { get; }

    /// <summary>The zones, in layer order.</summary>
    public IReadOnlyList<Zone> Zones { get; }

    /// <summary>Per zone, the cells it overlaps.</summary>
    public IReadOnlyList<ZoneOverlap[]> Overlaps { get; }

    /// <summary>Per zone, its area in the grid's projected m².</summary>
    public IReadOnlyList<double> ProjectedAreasM2 { get; }

    /// <summary>
    /// Per cell, the index of the zone covering at least half of it, or -1: the zone a device in that cell is taken to
    /// be in when counting movements between zones.
    /// </summary>
    public ReadOnlySpan<int> PrimaryZoneByCell => _primaryZone;

    /// <summary>Indices of the zones containing a lon/lat.</summary>
    public IReadOnlyList<int> ZonesAt(double lon, double lat)
    {
        var (x, y) = Grid.Projection.Forward(lon, lat);
        var point = new Point(x, y);
        var hits = new List<int>();
        foreach (var z in _index.Query(new Envelope(x, x, y, y)))
            if (_prepared[z].Covers(point)) hits.Add(z);
        hits.Sort();
        return hits;
    }

    /// <summary>
    /// A zone's people from per-cell people: the sum over its cells of people × the share of the cell it covers
    /// (people are taken as spread evenly within a cell).
    /// </summary>
    public double ZonePeople(int zone, ReadOnlySpan<double> peopleByCell)
    {
        var total = 0.0;
        foreach (var o in Overlaps[zone]) total += peopleByCell[o.CellId] * o.CellFraction;
        return total;
    }

    /// <summary>A zone's walkable m²: its surveyed value, else the walkable area of the cells it covers, pro rata.</summary>
    public double ZoneWalkableM2(int zone, ReadOnlySpan<double> walkableByCell)
    {
        if (Zones[zone].WalkableAreaM2 is { } surveyed) return surveyed;
        var total = 0.0;
        foreach (var o in Overlaps[zone]) total += walkableByCell[o.CellId] * o.CellFraction;
        return total;
    }
}
