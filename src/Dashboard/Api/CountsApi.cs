using CrowdWatch.Dashboard.Heatmap;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// Estimated people from the store, as the caller may see them: for a viewer a cell or zone under the area's k people
/// is shown only as <c>LOW_DENSITY</c>, without a number; operators and admins see exact counts.
/// </summary>
public static class CountsApi
{
    /// <summary>Longest span one zone request returns.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(400);

    /// <summary>One slot of a zone or a cell: people and density, or low density.</summary>
    public sealed record ZoneSlot(string SlotStart, double? People, double? Density, string? Flag);

    /// <summary>One cell in one slot: people and density, or low density.</summary>
    public sealed record CellSlot(int Cell, double? People, double? Density, string? Flag);

    /// <summary>Maps <c>/api/areas/{name}/counts/...</c>.</summary>
    public static IEndpointRouteBuilder MapCountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas/{name}/counts").WithTags("Counts");
        group.MapGet("/zones/{zone}", async Task<Results<Ok<ZoneSlot[]>, ProblemHttpResult>> (string name, string zone, string from, string to, HttpContext http,
            AreaCatalog catalog, ICountStore store, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return Unknown("area", name);
            var index = area.Zones.Zones.Select((z, i) => (z, i)).FirstOrDefault(p => p.z.Name == zone);
            if (index.z is null) return Unknown("zone", zone);
            if (Window(from, to, MaxSpan) is not { } window) return BadWindow(MaxSpan);
            var walkable = area.Zones.ZoneWalkableM2(index.i, area.WalkableM2);
            var rows = await store.ReadZoneAsync(new ZoneQuery(name, zone, "people", window.From, window.To), cancellationToken);
            var k = Viewing.KFor(http.User, area);
            return TypedResults.Ok(rows.Select(r => k.Suppresses(r.Value)
                ? new ZoneSlot(SeriesCsv.SlotLabel(area, r.SlotStartMs), null, null, KThreshold.LowDensity)
                : new ZoneSlot(SeriesCsv.SlotLabel(area, r.SlotStartMs), Math.Round(r.Value, 1), walkable > 0 ? Math.Round(r.Value / walkable, 3) : null, null)).ToArray());
        }).WithName("GetZoneCounts").WithSummary("A zone's stored people and density per slot");
        group.MapGet("/cells/{cell}", async Task<Results<Ok<ZoneSlot[]>, ProblemHttpResult>> (string name, string cell, string from, string to, HttpContext http,
            AreaCatalog catalog, ICountStore store, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return Unknown("area", name);
            if (!int.TryParse(cell, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id >= area.Grid.Spec.CellCount)
                return TypedResults.Problem($"cell must be a cell id from 0 to {area.Grid.Spec.CellCount - 1}, not '{cell}'", title: "Bad cell", statusCode: StatusCodes.Status400BadRequest);
            if (Window(from, to, MaxSpan) is not { } window) return BadWindow(MaxSpan);
            var k = Viewing.KFor(http.User, area);
            var walkable = area.WalkableM2[id];
            var rows = await store.ReadAsync(new CountQuery(name, "people", window.From, window.To, [id]), cancellationToken);
            // Sources add up per slot, as for the heat map.
            return TypedResults.Ok(rows.GroupBy(r => r.SlotStartMs).OrderBy(g => g.Key).Select(g => (Slot: g.Key, People: g.Sum(r => r.Value))).Select(r => k.Suppresses(r.People)
                ? new ZoneSlot(SeriesCsv.SlotLabel(area, r.Slot), null, null, KThreshold.LowDensity)
                : new ZoneSlot(SeriesCsv.SlotLabel(area, r.Slot), Math.Round(r.People, 1), walkable > 0 ? Math.Round(r.People / walkable, 3) : null, null)).ToArray());
        }).WithName("GetCellCounts").WithSummary("A cell's stored people and density per slot");
        group.MapGet("/cells", async Task<Results<Ok<CellSlot[]>, ProblemHttpResult>> (string name, string slot, HttpContext http, AreaCatalog catalog, ICountStore store,
            CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return Unknown("area", name);
            if (!Instants.TryParse(slot, out var at)) return BadWindow(TimeSpan.Zero);
            var start = area.NewClock().SlotStartMs(at);
            var people = await PeopleAsync(store, area, start, cancellationToken);
            return TypedResults.Ok(ViewerDensity.From(people, area.WalkableM2, Viewing.KFor(http.User, area)).Select(v => v.IsLowDensity
                ? new CellSlot(v.CellId, null, null, KThreshold.LowDensity)
                : new CellSlot(v.CellId, Math.Round(v.People!.Value, 1), Math.Round(v.Density!.Value, 3), null)).ToArray());
        }).WithName("GetSlotCells").WithSummary("Every cell with anyone in it in one slot");
        app.MapGet("/api/areas/{name}/heatmap", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (string name, string slot, HttpContext http, AreaCatalog catalog, ICountStore store,
            CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return Unknown("area", name);
            if (!Instants.TryParse(slot, out var at)) return BadWindow(TimeSpan.Zero);
            var start = area.NewClock().SlotStartMs(at);
            var people = await PeopleAsync(store, area, start, cancellationToken);
            var body = new MemoryStream();
            HeatmapGeoJson.Write(body, area, SeriesCsv.SlotLabel(area, start), ViewerDensity.From(people, area.WalkableM2, Viewing.KFor(http.User, area)));
            body.Position = 0;
            return TypedResults.Stream(body, "application/geo+json");
        }).WithName("GetHeatmap").WithSummary("A slot's heat map as GeoJSON").WithTags("Counts");
        return app;
    }

    // Every cell's people in the slot starting at startMs (0 where the store has none).
    private static async Task<double[]> PeopleAsync(ICountStore store, Geo.Areas.Area area, long startMs, CancellationToken cancellationToken)
    {
        var people = new double[area.Grid.Spec.CellCount];
        foreach (var r in await store.ReadAsync(new CountQuery(area.Name, "people", startMs, startMs + 1), cancellationToken)) people[r.Cell] = r.Value;
        return people;
    }

    private static ProblemHttpResult Unknown(string what, string name) =>
        TypedResults.Problem($"No {what} named '{name}'.", title: $"Unknown {what}", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult BadWindow(TimeSpan max) => TypedResults.Problem(
        max > TimeSpan.Zero
            ? $"from and to must each be {Instants.Expected}, to after from, at most {max.TotalDays} days later"
            : $"slot must be {Instants.Expected}",
        title: "Bad time", statusCode: StatusCodes.Status400BadRequest);

    private static (long From, long To)? Window(string from, string to, TimeSpan max) =>
        Instants.TryParse(from, out var f) && Instants.TryParse(to, out var t) && t > f && t - f <= (long)max.TotalMilliseconds ? (f, t) : null;
}
