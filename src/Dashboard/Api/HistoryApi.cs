using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// A zone's people over past slots: the true count where the history has it, and the count estimated from devices.
/// Viewers get neither for a slot under the area's k (fewer than k people, or an estimate from fewer than k devices):
/// both are null and the slot is flagged <c>LOW_DENSITY</c>, since one would tell the other.
/// </summary>
public static class HistoryApi
{
    /// <summary>Longest span one request returns.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(62);

    /// <summary>One slot of a zone's history.</summary>
    public sealed record ZonePoint(string SlotStart, double? TruePeople, double? EstimatedPeople, double? TrueDensity, double? EstimatedDensity,
        string Flag = Geo.Privacy.KThreshold.DensityEstimation);

    /// <summary>A zone's history.</summary>
    public sealed record ZoneSeries(string Zone, int? Capacity, double? WalkableM2, ZonePoint[] Points);

    /// <summary>Maps <c>/api/areas/{name}/history/zones/{zone}</c>.</summary>
    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/areas/{name}/history/zones/{zone}", Results<Ok<ZoneSeries>, ProblemHttpResult> (string name, string zone, string from, string to, AreaCatalog catalog, HttpContext http) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area))
                return AreaProblems.Unknown(name);
            var z = area.Zones.Zones.Select((x, i) => (x, i)).FirstOrDefault(p => p.x.Name == zone);
            if (z.x is null) return TypedResults.Problem($"Area '{name}' has no zone '{zone}'.", title: "Unknown zone", statusCode: StatusCodes.Status404NotFound);
            if (!Instants.TryParse(from, out var fromMs) || !Instants.TryParse(to, out var toMs))
                return TypedResults.Problem("from and to must be ISO 8601 instants with an offset, e.g. 2025-10-01T18:00+08:00", title: "Bad time", statusCode: StatusCodes.Status400BadRequest);
            if (toMs <= fromMs || toMs - fromMs > (long)MaxSpan.TotalMilliseconds)
                return TypedResults.Problem($"to must be after from, at most {MaxSpan.TotalDays} days later", title: "Bad range", statusCode: StatusCodes.Status400BadRequest);
            if (catalog.Histories[name].Value is not { } history)
                return TypedResults.Problem($"Area '{name}' has no history in its deployment yet.", title: "No history", statusCode: StatusCodes.Status404NotFound);
            var walkable = area.Zones.ZoneWalkableM2(z.i, area.WalkableM2);
            var k = Security.Viewing.KFor(http.User, area);
            var points = history.Slots.Where(ms => ms >= fromMs && ms < toMs).Select(ms =>
            {
                var t = history.TruePeople(ms, z.i);
                var e = history.EstimatedPeople(ms, z.i);
                // True people are people (no panel); the estimate stands for its devices.
                if ((t is { } tp && !(tp >= k.K)) || (e is { } ep && k.Suppresses(ep)))
                    return new ZonePoint(SeriesCsv.SlotLabel(area, ms), null, null, null, null, Geo.Privacy.KThreshold.LowDensity);
                return new ZonePoint(SeriesCsv.SlotLabel(area, ms), Round(t), Round(e), walkable > 0 ? Round(t / walkable, 3) : null, walkable > 0 ? Round(e / walkable, 3) : null);
            }).ToArray();
            return TypedResults.Ok(new ZoneSeries(zone, z.x.Capacity, walkable, points));
        }).WithName("GetZoneHistory").WithSummary("A zone's people per slot in the deployment's history").WithTags("History");
        return app;
    }

    private static double? Round(double? v, int digits = 1) => v is { } x ? Math.Round(x, digits) : null;
}
