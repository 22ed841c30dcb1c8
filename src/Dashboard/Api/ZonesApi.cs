using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Dashboard.Series;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>The zones of an area with their limits and their newest state, for the map's outlines and capacity gauges.</summary>
public static class ZonesApi
{
    /// <summary>A zone's limits and its newest slot (people and density null under k for a viewer).</summary>
    public sealed record ZoneView(string Name, string Place, string NameZh, string NameEn, int? Capacity, double WalkableM2,
        double[] LevelDensities, double[] LevelUses, string? Slot, double? People, double? Density, double? CapacityUse, string Level, string? Flag);

    /// <summary>Maps <c>/api/areas/{name}/zones</c>.</summary>
    public static IEndpointRouteBuilder MapZonesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/areas/{name}/zones", async Task<Results<Ok<ZoneView[]>, ProblemHttpResult>> (string name, HttpContext http, AreaCatalog catalog, ICountStore counts,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area))
                return TypedResults.Problem($"No area named '{name}'.", title: "Unknown area", statusCode: StatusCodes.Status404NotFound);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var k = Viewing.KFor(http.User, area);
            var views = new List<ZoneView>();
            for (var z = 0; z < area.Zones.Zones.Count; z++)
            {
                var zone = area.Zones.Zones[z];
                var walkable = area.Zones.ZoneWalkableM2(z, area.WalkableM2);
                var thresholds = DangerLevels.Thresholds(zone.Thresholds);
                var rows = await counts.ReadZoneAsync(new ZoneQuery(name, zone.Name, "people", now - (3 * 3_600_000L), now + 1), cancellationToken);
                var densities = RiskLevels.Warning.Select(l => thresholds.DensityOf(l)).ToArray();
                var uses = RiskLevels.Warning.Select(l => thresholds.UseOf(l)).ToArray();
                var place = Alerting.ZonePlaces.Id(zone.Name);
                if (rows.Count == 0)
                {
                    views.Add(new ZoneView(zone.Name, place, zone.NameZh ?? zone.Name, zone.NameEn ?? zone.Name, zone.Capacity, Math.Round(walkable), densities, uses, null, null, null, null, RiskLevel.None.Colour(), null));
                    continue;
                }

                var newest = rows.MaxBy(r => r.SlotStartMs)!;
                var people = rows.Where(r => r.SlotStartMs == newest.SlotStartMs).Sum(r => r.Value);
                var density = walkable > 0 ? people / walkable : 0;
                double? use = zone.Capacity is > 0 ? people / zone.Capacity.Value : null;
                var level = thresholds.LevelOf(density, use).Colour();
                var label = SeriesCsv.SlotLabel(area, newest.SlotStartMs);
                views.Add(k.Suppresses(people)
                    ? new ZoneView(zone.Name, place, zone.NameZh ?? zone.Name, zone.NameEn ?? zone.Name, zone.Capacity, Math.Round(walkable), densities, uses, label, null, null, null, RiskLevel.None.Colour(), Geo.Privacy.KThreshold.LowDensity)
                    : new ZoneView(zone.Name, place, zone.NameZh ?? zone.Name, zone.NameEn ?? zone.Name, zone.Capacity, Math.Round(walkable), densities, uses, label,
                        Math.Round(people), Math.Round(density, 3), use is { } u ? Math.Round(u, 3) : null, level, null));
            }

            return TypedResults.Ok(views.ToArray());
        }).WithTags("Zones");
        return app;
    }
}
