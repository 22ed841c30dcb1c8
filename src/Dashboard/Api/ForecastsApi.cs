using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>The newest forecasts of a zone or cell: people per coming slot with 80% and 95% intervals and the probability of each level.</summary>
public static class ForecastsApi
{
    /// <summary>One slot ahead of one place.</summary>
    public sealed record ForecastSlot(int Horizon, string SlotStart, double? Mean, double? Low80, double? High80, double? Low95, double? High95,
        IReadOnlyList<double> LevelProbabilities, string? Flag);

    /// <summary>A place's forecast from the newest run.</summary>
    public sealed record PlaceForecast(string Area, string Place, string Model, string IssuedAt, string Origin, ForecastSlot[] Slots);

    /// <summary>Maps <c>/api/areas/{name}/forecasts/...</c>.</summary>
    public static IEndpointRouteBuilder MapForecastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas/{name}/forecasts").WithTags("Forecasts");
        group.MapGet("/zones/{zone}", (string name, string zone, HttpContext http, AreaCatalog catalog, IForecastStore store, CancellationToken cancellationToken) =>
            ReadAsync(name, zone, isZone: true, http, catalog, store, cancellationToken)).WithName("GetZoneForecast").WithSummary("The newest forecast of a zone, with intervals and level probabilities");
        group.MapGet("/cells/{cell}", async Task<Results<Ok<PlaceForecast>, ProblemHttpResult>> (string name, string cell, HttpContext http, AreaCatalog catalog, IForecastStore store, CancellationToken cancellationToken) =>
            int.TryParse(cell, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? await ReadAsync(name, id.ToString(System.Globalization.CultureInfo.InvariantCulture), isZone: false, http, catalog, store, cancellationToken)
                : TypedResults.Problem($"cell must be a cell id (a whole number), not '{cell}'", title: "Bad cell", statusCode: StatusCodes.Status400BadRequest)).WithName("GetCellForecast").WithSummary("The newest forecast of a cell, with intervals and level probabilities");
        return app;
    }

    // Forecasts of fewer than k people are shown to viewers as LOW_DENSITY, like counts: a forecast is an estimate of who will be there.
    private static async Task<Results<Ok<PlaceForecast>, ProblemHttpResult>> ReadAsync(string name, string place, bool isZone, HttpContext http, AreaCatalog catalog, IForecastStore store,
        CancellationToken cancellationToken)
    {
        if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
        var run = await store.LatestRunAsync(name, cancellationToken);
        if (run is null) return TypedResults.Problem($"Area '{name}' has no forecasts yet.", title: "No forecasts", statusCode: StatusCodes.Status404NotFound);
        var values = await store.ValuesAsync(run.Id, place, isZone, cancellationToken);
        if (values.Count == 0) return TypedResults.Problem($"The newest run of '{name}' has no forecast of {(isZone ? "zone" : "cell")} '{place}'.", title: "Unknown place", statusCode: StatusCodes.Status404NotFound);
        static double R(double v) => Math.Round(v, 1);
        var slots = values.OrderBy(v => v.Horizon).Select(v => Viewing.KFor(http.User, area).Suppresses(v.Mean)
            ? new ForecastSlot(v.Horizon, SeriesCsv.SlotLabel(area, v.TargetSlotMs), null, null, null, null, null, [.. v.Exceedance.Select(p => Math.Round(p, 3))], KThreshold.LowDensity)
            : new ForecastSlot(v.Horizon, SeriesCsv.SlotLabel(area, v.TargetSlotMs), R(v.Mean), R(v.Low80), R(v.High80), R(v.Low95), R(v.High95), [.. v.Exceedance.Select(p => Math.Round(p, 3))], null)).ToArray();
        return TypedResults.Ok(new PlaceForecast(name, place, run.Model, Instants.Local(run.IssuedMs, area.TimeZone), SeriesCsv.SlotLabel(area, run.OriginSlotMs), slots));
    }
}
