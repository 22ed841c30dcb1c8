using System.Globalization;
using CrowdWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// An area's map layers as GeoJSON (zones, walkable surfaces, the offline base map) and its calendar: what a map
/// client needs besides counts, served from the deployment's files so no tile server is needed.
/// </summary>
public static class LayersApi
{
    /// <summary>Longest date range the calendar endpoint returns.</summary>
    public const int MaxCalendarDays = 400;

    /// <summary>One day of an area's calendar.</summary>
    public sealed record CalendarDay(string Date, string Kind, string? Holiday, string? HolidayZh, int DayIntoHoliday, CalendarEvent[] Events);

    /// <summary>An event on a day.</summary>
    public sealed record CalendarEvent(string Name, string NameZh, string Zone, string Start, string End, int Attendance);

    /// <summary>Maps <c>/api/areas/{name}/layers/...</c> and <c>/api/areas/{name}/calendar</c>.</summary>
    public static IEndpointRouteBuilder MapLayersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas/{name}").WithTags("Layers");
        group.MapGet("/layers/{layer}", Results<PhysicalFileHttpResult, FileStreamHttpResult, ProblemHttpResult> (string name, string layer, AreaCatalog catalog) =>
        {
            if (!catalog.Entries.TryGetValue(name, out var entry)) return AreaProblems.Unknown(name);
            if (layer == "cells")
            {
                // The grid itself, every cell as a WGS84 square with its id: the web map draws live frames on it.
                var body = new MemoryStream();
                Heatmap.GridGeoJson.Write(body, catalog.Areas[name]);
                body.Position = 0;
                return TypedResults.Stream(body, "application/geo+json");
            }

            var (known, path) = layer switch
            {
                "zones" => (true, entry.ZonesPath),
                "walkable" => (true, entry.WalkablePath),
                "basemap" => (true, entry.BaseMapPath),
                _ => (false, null),
            };
            if (!known)
                return TypedResults.Problem($"No layer '{layer}'; layers are zones, walkable, basemap and cells.", title: "Unknown layer", statusCode: StatusCodes.Status404NotFound);
            return path is not null && File.Exists(path)
                ? TypedResults.PhysicalFile(path, "application/geo+json")
                : TypedResults.Problem($"Area '{name}' has no {layer} layer in its deployment.", title: "No such layer", statusCode: StatusCodes.Status404NotFound);
        }).WithName("GetLayer").WithSummary("A deployment layer (zones, walkable, basemap, cells) as GeoJSON");
        group.MapGet("/calendar", Results<Ok<CalendarDay[]>, ProblemHttpResult> (string name, string from, string to, AreaCatalog catalog) =>
        {
            if (!catalog.Calendars.TryGetValue(name, out var calendar)) return AreaProblems.Unknown(name);
            if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                || !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
                || !Geo.Ingest.Timestamps.InRange(first) || !Geo.Ingest.Timestamps.InRange(last))
                return TypedResults.Problem($"from and to must be dates, yyyy-MM-dd, in {Geo.Ingest.Timestamps.FirstYear}..{Geo.Ingest.Timestamps.LastYear}", title: "Bad date", statusCode: StatusCodes.Status400BadRequest);
            if (last < first || last.DayNumber - first.DayNumber >= MaxCalendarDays)
                return TypedResults.Problem($"to must be on or after from, and the range at most {MaxCalendarDays} days", title: "Bad range", statusCode: StatusCodes.Status400BadRequest);
            var days = new List<CalendarDay>();
            for (var d = first; d <= last; d = d.AddDays(1))
            {
                var holiday = calendar.HolidayOn(d);
                days.Add(new CalendarDay(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), calendar.KindOf(d).ToString(), holiday?.NameEn, holiday?.NameZh,
                    calendar.DayIntoHoliday(d),
                    [.. calendar.EventsOn(d).Select(e => new CalendarEvent(e.NameEn, e.NameZh, e.Zone, e.Start.ToString("HH:mm", CultureInfo.InvariantCulture), e.End.ToString("HH:mm", CultureInfo.InvariantCulture), e.Attendance))]));
            }

            return TypedResults.Ok(days.ToArray());
        }).WithName("GetCalendar").WithSummary("Day kinds, holidays and events per local date");
        return app;
    }
}
