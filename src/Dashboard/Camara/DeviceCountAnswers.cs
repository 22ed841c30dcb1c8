using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Storage;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// Answers Region Device Count requests from our cells. The region (a circle is drawn in the grid's metres, 64
/// segments) takes each grid cell's people by the share of the cell's walkable area inside it. We keep no device ids, so
/// over a window the count is the most people in the region in any one slot of it: the devices seen there at once, a
/// lower bound of those seen at some time. Without a window it is the newest slot of the last hour. Fewer than the
/// area's k: DENSITY_BELOW_PRIVACY_THRESHOLD, for every role.
/// </summary>
public sealed class DeviceCountAnswers(ICountStore counts, AreaRegions regions, TimeProvider time)
{
    private readonly GeometryFactory _factory = new();

    /// <summary>The answer to <paramref name="request"/>, or its error.</summary>
    public async Task<(DeviceCountResponse? Response, CamaraError? Error)> AnswerAsync(DeviceCountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Geometry wgs84;
        if (request.Boundary is { } boundary)
        {
            if (CamaraEndpoints.Polygon(boundary, _factory) is not { } polygon)
                return (null, new CamaraError(400, "REGION_DEVICE_COUNT.INVALID_POLYGON_AREA", "The area is not a polygon shape or has an arbitrary complexity: it crosses itself or has no area."));
            wgs84 = polygon;
        }
        else
        {
            // Degrees enough to hold the circle, to find its area.
            var (lon, lat) = request.Centre!.Value;
            var dLat = request.RadiusM / 111_320.0;
            var dLon = dLat / Math.Max(0.01, Math.Cos(lat * Math.PI / 180));
            wgs84 = _factory.ToGeometry(new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat));
        }

        if (regions.AreaOf(wgs84) is not { } area) return (new DeviceCountResponse(0, "AREA_NOT_SUPPORTED"), null);
        var projection = area.Grid.Projection;
        var region = request.Centre is { } centre
            ? _factory.CreatePoint(Projected(area, centre)).Buffer(request.RadiusM, 16)
            : projection.Forward(wgs84);
        var share = regions.Of(area).Of(region);
        if (share.CoveredFraction < 0.5) return (new DeviceCountResponse(0, "AREA_NOT_SUPPORTED"), null);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var (from, to) = request.Start is { } s && request.End is { } e
            ? (s.ToUnixTimeMilliseconds() / slotMs * slotMs, e.ToUnixTimeMilliseconds() + 1)
            : (now - 3_600_000, now + 1);
        var rows = share.Cells.Length == 0 ? [] : await counts.ReadAsync(new CountQuery(area.Name, "people", from, to, share.Cells), cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0) return (new DeviceCountResponse(0, "TIME_INTERVAL_NO_DATA_FOUND"), null);
        var people = new double[area.Grid.Spec.CellCount];
        var perSlot = rows.GroupBy(r => r.SlotStartMs).OrderBy(g => g.Key).Select(g =>
        {
            Array.Clear(people);
            foreach (var r in g) people[r.Cell] += r.Value;
            return share.People(people);
        }).ToList();
        var count = request.Start is null ? perSlot[^1] : perSlot.Max();
        if (area.K.Suppresses(count)) return (new DeviceCountResponse(0, "DENSITY_BELOW_PRIVACY_THRESHOLD"), null);
        return (new DeviceCountResponse((long)Math.Round(count), share.CoveredFraction >= 0.999 ? "SUPPORTED_AREA" : "PART_OF_AREA_NOT_SUPPORTED"), null);
    }

    private static Coordinate Projected(Area area, (double Lon, double Lat) point)
    {
        var (x, y) = area.Grid.Projection.Forward(point.Lon, point.Lat);
        return new Coordinate(x, y);
    }
}
