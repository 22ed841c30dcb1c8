using CrowdWatch.Dashboard.Heatmap;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// What the web map's time slider needs: which past slots have counts and which future slots the newest forecast
/// covers, and the forecast map of a future slot (same GeoJSON as the observed heat map, from forecast means).
/// </summary>
public static class MapApi
{
    /// <summary>Hours of past slots the slider offers.</summary>
    public const int PastHours = 12;

    /// <summary>The slider's slots: past slots with counts and the newest run's target slots, ISO 8601 local times; <c>Now</c> the host's clock.</summary>
    public sealed record Timeline(string Area, string Now, int SlotMinutes, string[] Observed, string? ForecastOrigin, string[] Forecast);

    /// <summary>What the page needs before it draws: the area to open and the base map's style or tile URL, if any.</summary>
    public sealed record MapConfig(string? Area, string? StyleUrl, string? TileUrl);

    /// <summary>Maps <c>/api/map-config</c>, <c>/api/areas/{name}/timeline</c> and <c>/api/areas/{name}/forecasts/heatmap</c>.</summary>
    public static IEndpointRouteBuilder MapMapApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/map-config", (Microsoft.Extensions.Options.IOptions<MapOptions> options, AreaCatalog catalog) =>
            TypedResults.Ok(new MapConfig(options.Value.Area ?? catalog.Areas.Keys.FirstOrDefault(), options.Value.StyleUrl, options.Value.TileUrl))).WithName("GetMapConfig").WithSummary("The area the page opens on and the base-map style").WithTags("Map");
        var group = app.MapGroup("/api/areas/{name}").WithTags("Map");
        group.MapGet("/timeline", async Task<Results<Ok<Timeline>, ProblemHttpResult>> (string name, AreaCatalog catalog, ICountStore counts, IForecastStore forecasts,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var rows = await counts.ReadAsync(new CountQuery(name, "people", now - (PastHours * 3_600_000L), now), cancellationToken);
            var observed = rows.Select(r => r.SlotStartMs).Distinct().Order().Select(s => SeriesCsv.SlotLabel(area, s)).ToArray();
            var run = await forecasts.LatestRunAsync(name, cancellationToken);
            string[] ahead = [];
            if (run is not null && area.Zones.Zones.Count > 0)
                ahead = [.. (await forecasts.ValuesAsync(run.Id, area.Zones.Zones[0].Name, isZone: true, cancellationToken)).Select(v => SeriesCsv.SlotLabel(area, v.TargetSlotMs))];
            return TypedResults.Ok(new Timeline(name, TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(now), area.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), area.Settings.SlotMinutes, observed,
                run is null ? null : SeriesCsv.SlotLabel(area, run.OriginSlotMs), ahead));
        }).WithName("GetTimeline").WithSummary("The map slider: past slots with counts and the newest forecast's slots");
        group.MapGet("/forecasts/heatmap", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (string name, string slot, HttpContext http, AreaCatalog catalog,
            IForecastStore forecasts, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            if (!Instants.TryParse(slot, out var at))
                return TypedResults.Problem($"slot must be {Instants.Expected}", title: "Bad time", statusCode: StatusCodes.Status400BadRequest);
            if (await forecasts.LatestRunAsync(name, cancellationToken) is not { } run)
                return TypedResults.Problem($"Area '{name}' has no forecasts yet.", title: "No forecasts", statusCode: StatusCodes.Status404NotFound);
            var target = area.NewClock().SlotStartMs(at);
            var people = new double[area.Grid.Spec.CellCount];
            foreach (var v in await forecasts.SlotValuesAsync(run.Id, target, isZone: false, cancellationToken))
                if (int.TryParse(v.Place, System.Globalization.CultureInfo.InvariantCulture, out var cell) && (uint)cell < (uint)people.Length) people[cell] = Math.Max(0, v.Mean);
            var body = new MemoryStream();
            HeatmapGeoJson.Write(body, area, SeriesCsv.SlotLabel(area, target), ViewerDensity.From(people, area.WalkableM2, Viewing.KFor(http.User, area)));
            body.Position = 0;
            return TypedResults.Stream(body, "application/geo+json");
        }).WithName("GetForecastHeatmap").WithSummary("A future slot's forecast as heat-map GeoJSON");
        return app;
    }
}
