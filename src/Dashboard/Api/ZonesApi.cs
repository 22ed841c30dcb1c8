using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// The zones of an area with their limits and their newest state, for the map's outlines and capacity gauges; admins
/// change a zone's capacity and thresholds, which hold at once (alerting judges the next slot by them) and after a
/// restart (they are written into the deployment's zones GeoJSON).
/// </summary>
public static class ZonesApi
{
    private static readonly SemaphoreSlim Edits = new(1, 1);

    /// <summary>A zone's limits and its newest slot (people and density null under k for a viewer).</summary>
    public sealed record ZoneView(string Name, string Place, string NameZh, string NameEn, int? Capacity, double WalkableM2,
        double[] LevelDensities, double[] LevelUses, string? Slot, double? People, double? Density, double? CapacityUse, string Level, string? Flag);

    /// <summary>The largest capacity a zone may be given: more than any venue or square holds.</summary>
    public const int MaxCapacity = 10_000_000;

    /// <summary>Thresholds: persons/m² from Blue to Red, and shares of capacity (0.95 is 95%); left out: the default.</summary>
    public sealed record ThresholdsEdit(double? Blue, double? Yellow, double? Orange, double? Red, double? BlueUse, double? YellowUse, double? OrangeUse, double? RedUse);

    /// <summary>An admin's change of a zone: what is given is set, what is left out stays.</summary>
    public sealed record ZoneEdit(int? Capacity, ThresholdsEdit? Thresholds);

    /// <summary>Maps <c>/api/areas/{name}/zones</c> and <c>PUT /api/areas/{name}/zones/{zone}</c>.</summary>
    public static IEndpointRouteBuilder MapZonesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/areas/{name}/zones", async Task<Results<Ok<ZoneView[]>, ProblemHttpResult>> (string name, HttpContext http, AreaCatalog catalog, ICountStore counts,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            var views = new List<ZoneView>();
            for (var z = 0; z < area.Zones.Zones.Count; z++) views.Add(await ViewAsync(area, z, Viewing.KFor(http.User, area), counts, time, cancellationToken));
            return TypedResults.Ok(views.ToArray());
        }).WithName("ListZones").WithSummary("Each zone with its newest slot's people, density and level").WithTags("Zones");
        app.MapPut("/api/areas/{name}/zones/{zone}", async Task<Results<Ok<ZoneView>, ProblemHttpResult>> (string name, string zone, ZoneEdit edit, HttpContext http,
            AreaCatalog catalog, ICountStore counts, IAreaStore areas, IAuditLog audit, IOptions<CrowdWatchOptions> host, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            var index = area.Zones.Zones.Select((z, i) => (z, i)).FirstOrDefault(p => p.z.Name == zone);
            if (index.z is null) return TypedResults.Problem($"No zone named '{zone}'.", title: "Unknown zone", statusCode: StatusCodes.Status404NotFound);
            if (!catalog.Entries.TryGetValue(name, out var entry) || entry.ZonesPath is not { } path || !File.Exists(path))
                return TypedResults.Problem($"Area '{name}' has no zones file to write.", title: "Zones not editable", statusCode: StatusCodes.Status409Conflict);
            if (edit.Capacity is < 1 or > MaxCapacity) return Bad("capacity", $"capacity must be a whole number of people from 1 to {MaxCapacity}");
            var old = index.z;
            // A level left out of the edit keeps the value it had.
            var thresholds = edit.Thresholds is { } t
                ? (old.Thresholds ?? new ZoneThresholds(null, null, null, null)).With(new ZoneThresholds(t.Blue, t.Yellow, t.Orange, t.Red, t.BlueUse, t.YellowUse, t.OrangeUse, t.RedUse))
                : old.Thresholds;
            if (thresholds is not null && !thresholds.IsValid(out var reason)) return Bad("thresholds", $"thresholds: {reason}");
            var capacity = edit.Capacity ?? old.Capacity;
            Area updated;
            await Edits.WaitAsync(cancellationToken);
            try
            {
                ZoneFile.Update(path, zone, capacity, thresholds);
                var problems = new List<LayerProblem>();
                updated = DeploymentFile.Load(host.Value.Deployment).BuildArea(name, problems);
                catalog.Replace(updated);
            }
            finally
            {
                Edits.Release();
            }

            await areas.SaveAreaAsync(updated, cancellationToken);
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow().ToUnixTimeMilliseconds(), http.User.Identity?.Name ?? "unknown", "zone.edit", $"{name}/{zone}",
                $"capacity {old.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} -> {capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; thresholds {old.Thresholds} -> {thresholds}"), cancellationToken);
            return TypedResults.Ok(await ViewAsync(updated, index.i, Viewing.KFor(http.User, updated), counts, time, cancellationToken));
        }).WithName("EditZone").WithSummary("An admin sets a zone's capacity and thresholds").RequireAuthorization(Roles.CanAdminister).WithTags("Zones");
        return app;
    }

    private static ProblemHttpResult Bad(string field, string detail)
    {
        var problem = TypedResults.Problem(detail, title: $"Bad {field}", statusCode: StatusCodes.Status400BadRequest);
        problem.ProblemDetails.Extensions["field"] = field;
        return problem;
    }

    // Zone z of the area as the caller may see it, at the newest slot of the last three hours.
    private static async Task<ZoneView> ViewAsync(Area area, int z, KThreshold k, ICountStore counts, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var zone = area.Zones.Zones[z];
        var walkable = area.Zones.ZoneWalkableM2(z, area.WalkableM2);
        var thresholds = LevelThresholds.For(zone.Thresholds);
        var densities = RiskLevels.Warning.Select(l => thresholds.DensityOf(l)).ToArray();
        var uses = RiskLevels.Warning.Select(l => thresholds.UseOf(l)).ToArray();
        var place = Alerts.Places.ZonePlaces.Id(zone.Name);
        var (zh, en) = (zone.NameZh ?? zone.Name, zone.NameEn ?? zone.Name);
        var rows = await counts.ReadZoneAsync(new ZoneQuery(area.Name, zone.Name, "people", now - (3 * 3_600_000L), now + 1), cancellationToken);
        if (rows.Count == 0) return new ZoneView(zone.Name, place, zh, en, zone.Capacity, Math.Round(walkable), densities, uses, null, null, null, null, RiskLevel.None.Colour(), null);
        var newest = rows.Max(r => r.SlotStartMs);
        var people = rows.Where(r => r.SlotStartMs == newest).Sum(r => r.Value);
        var label = SeriesCsv.SlotLabel(area, newest);
        if (k.Suppresses(people))
            return new ZoneView(zone.Name, place, zh, en, zone.Capacity, Math.Round(walkable), densities, uses, label, null, null, null, RiskLevel.None.Colour(), KThreshold.LowDensity);
        var density = walkable > 0 ? people / walkable : 0;
        double? use = zone.Capacity is > 0 ? people / zone.Capacity.Value : null;
        return new ZoneView(zone.Name, place, zh, en, zone.Capacity, Math.Round(walkable), densities, uses, label, Math.Round(people), Math.Round(density, 3),
            use is { } u ? Math.Round(u, 3) : null, thresholds.LevelOf(density, use).Colour(), null);
    }
}
