using CrowdWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>REST endpoints describing the areas and their grids.</summary>
public static class AreasApi
{
    /// <summary>One area's grid, as the API returns it.</summary>
    public sealed record AreaSummary(string Name, int Epsg, string Crs, double CellSizeM, int Rows, int Cols, int Cells,
        double[] BoundsWgs84, string TimeZone, int SlotMinutes, int K, string[] Zones);

    /// <summary>A located point.</summary>
    public sealed record LocatedPoint(double X, double Y, int Row, int Col, int Cell);

    /// <summary>Maps <c>/api/areas</c>.</summary>
    public static IEndpointRouteBuilder MapAreasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas").WithTags("Areas");
        group.MapGet("/", (AreaCatalog catalog) => TypedResults.Ok(catalog.Areas.Values.Select(Summarise).ToArray())).WithName("ListAreas").WithSummary("Every area the deployment serves");
        group.MapGet("/{name}", Results<Ok<AreaSummary>, ProblemHttpResult> (string name, AreaCatalog catalog) =>
            catalog.Areas.TryGetValue(name, out var area)
                ? TypedResults.Ok(Summarise(area))
                : AreaProblems.Unknown(name)).WithName("GetArea").WithSummary("One area: grid, time zone, slot length, k, zones");
        group.MapGet("/{name}/locate", Results<Ok<LocatedPoint>, ProblemHttpResult> (string name, double lon, double lat, AreaCatalog catalog) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            if (lon is < -180 or > 180 || lat is < -90 or > 90) return TypedResults.Problem("lon must be in -180..180 and lat in -90..90", title: "Bad coordinate", statusCode: StatusCodes.Status400BadRequest);
            return area.Grid.Locate(lon, lat) is { } c
                ? TypedResults.Ok(new LocatedPoint(Math.Round(c.X, 3), Math.Round(c.Y, 3), c.Row, c.Col, c.CellId))
                : TypedResults.Problem($"({lon}, {lat}) is outside area '{name}'.", title: "Outside the grid", statusCode: StatusCodes.Status404NotFound);
        }).WithName("LocatePoint").WithSummary("The grid cell of a WGS84 point");
        return app;
    }

    private static AreaSummary Summarise(Geo.Areas.Area a) => new(a.Name, a.Grid.Spec.Epsg, a.Grid.Projection.Crs.Name, a.Grid.Spec.CellSizeM,
        a.Grid.Spec.Rows, a.Grid.Spec.Cols, a.Grid.Spec.CellCount,
        [a.Grid.Bounds.MinLon, a.Grid.Bounds.MinLat, a.Grid.Bounds.MaxLon, a.Grid.Bounds.MaxLat],
        a.Settings.TimeZone, a.Settings.SlotMinutes, a.K.K, [.. a.Zones.Zones.Select(z => z.Name)]);
}
