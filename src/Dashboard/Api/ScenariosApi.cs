using System.Text.Json;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Scenarios;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// Scenario planning over HTTP: <c>POST /api/areas/{name}/scenarios</c> with one scenario (the JSON of a scenario file)
/// or an array of them to compare, answered with each zone's time line, warnings, risk points, the recommended
/// admission limits and, for playback on the map, every cell's people at every step. Operators and admins only: the
/// answers are exact modelled counts, and a run takes seconds of CPU.
/// </summary>
public static class ScenariosApi
{
    /// <summary>Scenarios one request may compare.</summary>
    public const int MaxScenarios = 4;

    /// <summary>A warning as the rules would give it.</summary>
    public sealed record WarningView(string At, string Level, string Kind, string Reason);

    /// <summary>One zone through a scenario; arrays run over the scenario's points.</summary>
    public sealed record ZoneRun(string Zone, string NameZh, string NameEn, double? Capacity, double WalkableM2, double PeakPeople, double PeakDensity, double? PeakUse,
        string PeakAt, string MaxLevel, WarningView? FirstWarning, Dictionary<string, string?> FirstWarningAt, string? BaselineFirstRedAt, double TurnedAway, double NoRoom,
        double[] People, string[] Levels, double[] BaselinePeople);

    /// <summary>A ranked risk point.</summary>
    public sealed record RiskPointView(int Rank, string Level, int[] Cells, double PeakDensity, string PeakAt, double PeopleAtPeak, double Score, double Lat, double Lon);

    /// <summary>A recommended admission limit.</summary>
    public sealed record LimitView(string Zone, double PeoplePerMinute, double TurnedAway, string MaxLevel);

    /// <summary>The admission limits keeping every zone below Orange, and what remains out of their reach.</summary>
    public sealed record AdviceView(LimitView[] Limits, string[] Unreachable, string MaxLevelWith, int Runs, double[][]? ZonePeopleWith);

    /// <summary>Each cell's people at each point (rounded), for the cells anyone reaches.</summary>
    public sealed record Frames(int[] Cells, int[][] People);

    /// <summary>One scenario's answers.</summary>
    public sealed record ScenarioRunView(string Name, string From, string To, int StepMinutes, string[] Times, string Baseline, string[] Changes, double SimulateMs,
        string MaxLevel, double NoRoom, ZoneRun[] Zones, RiskPointView[] RiskPoints, AdviceView? Advice, Frames? Frames);

    /// <summary>The answer: the scenarios side by side.</summary>
    public sealed record ScenariosView(string Area, ScenarioRunView[] Scenarios);

    /// <summary>Maps the scenario endpoint.</summary>
    public static IEndpointRouteBuilder MapScenariosApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/areas/{name}/scenarios", async Task<Results<Ok<ScenariosView>, ProblemHttpResult>> (string name, bool? frames,
            HttpContext http, AreaCatalog catalog, ScenarioService scenarios, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area))
                return AreaProblems.Unknown(name);
            // Read as planners write their files: comments and trailing commas allowed.
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException e)
            {
                return Bad($"body: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", []);
            }

            using var _ = document;
            var body = document.RootElement;
            var items = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().ToList() : [body];
            if (items.Count is 0 or > MaxScenarios)
                return Bad($"expected one scenario object or an array of 1 to {MaxScenarios}", []);
            var problems = new List<string>();
            var files = new List<ScenarioFile>();
            for (var i = 0; i < items.Count; i++)
                if (ScenarioFile.Read(items.Count == 1 ? "scenario" : $"scenarios[{i}]", items[i].GetRawText(), area, problems) is { } file) files.Add(file);
            if (problems.Count > 0) return Bad(problems[0], problems);

            IReadOnlyList<ScenarioResult> results;
            try
            {
                results = await scenarios.RunAsync(area, files, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                return TypedResults.Problem(e.Message, title: "Cannot run the scenario", statusCode: StatusCodes.Status422UnprocessableEntity);
            }

            await audit.AppendAsync(new AuditEntry(time.GetUtcNow().ToUnixTimeMilliseconds(), http.User.Identity?.Name ?? "unknown", "scenario.run", name,
                string.Join("; ", files.Select(f => f.Name))), cancellationToken);
            return TypedResults.Ok(new ScenariosView(name, [.. results.Select(r => View(area, r, frames ?? true))]));
        }).WithName("RunScenarios").WithSummary("Run what-if scenarios against a baseline").RequireAuthorization(Roles.CanOperate).WithTags("Scenarios").Accepts<JsonElement>("application/json");
        return app;
    }

    private static ProblemHttpResult Bad(string detail, List<string> problems)
    {
        var problem = TypedResults.Problem(detail, title: "Bad scenario", statusCode: StatusCodes.Status400BadRequest);
        problem.ProblemDetails.Extensions["problems"] = problems;
        return problem;
    }

    private static ScenarioRunView View(Geo.Areas.Area area, ScenarioResult r, bool withFrames)
    {
        // Local ISO instants, as the rest of the API writes them.
        string T(long ms) => SeriesCsv.SlotLabel(area, ms);
        var o = r.Outcome;
        var plan = o.Plan;
        var zones = o.Zones.Select(z =>
        {
            var zone = area.Zones.Zones[z.Zone];
            var walk = area.Zones.ZoneWalkableM2(z.Zone, area.WalkableM2);
            var b = r.Baseline.Zones[z.Zone];
            return new ZoneRun(z.Name, zone.NameZh ?? z.Name, zone.NameEn ?? z.Name, zone.Capacity, Math.Round(walk), Math.Round(z.PeakPeople), Math.Round(z.PeakDensity, 3),
                double.IsNaN(z.PeakUse) ? null : Math.Round(z.PeakUse, 3), T(z.PeakAtMs), z.MaxLevel.Colour(),
                z.FirstWarning is { } f ? new WarningView(T(f.AtMs), f.Level.Colour(), f.Kind.ToString().ToLowerInvariant(), f.Reason) : null,
                RiskLevels.Warning.ToDictionary(l => l.Colour(), l => z.FirstWarningAt[(int)l - 1] is { } at ? T(at) : null),
                b.FirstWarningAt[3] is { } br ? T(br) : null, Math.Round(z.TurnedAway), Math.Round(z.NoRoom),
                [.. z.People.Select(p => Math.Round(p))], [.. z.Levels.Select(l => l.Colour())], [.. b.People.Select(p => Math.Round(p))]);
        }).ToArray();
        var points = o.RiskPoints.Take(20).Select(p =>
        {
            var (lon, lat) = area.Grid.CellCentre(area.Grid.CellAt(p.Cells[0]));
            return new RiskPointView(p.Rank, p.Level.Colour(), [.. p.Cells], Math.Round(p.Peak.Density, 3), T(p.Peak.AtMs), Math.Round(p.PeopleAtPeak), Math.Round(p.Score), Math.Round(lat, 6), Math.Round(lon, 6));
        }).ToArray();
        AdviceView? advice = r.Advice is { } a
            ? new AdviceView([.. a.Limits.Select(l => new LimitView(area.Zones.Zones[l.Zone].Name, l.PeoplePerMinute, Math.Round(a.Checked.Zones[l.Zone].TurnedAway), a.Checked.Zones[l.Zone].MaxLevel.Colour()))],
                [.. a.Unreachable.Select(z => area.Zones.Zones[z].Name)], a.Checked.MaxLevel.Colour(), a.Runs, [.. a.Checked.Zones.Select(z => z.People.Select(p => Math.Round(p)).ToArray())])
            : null;
        Frames? frames = null;
        if (withFrames)
        {
            int[] cells = [.. Enumerable.Range(0, o.PeakCellDensity.Length).Where(c => o.PeakCellDensity[c] > 0)];
            frames = new Frames(cells, [.. o.Cells.Select(step => cells.Select(c => (int)Math.Round(step[c])).ToArray())]);
        }

        return new ScenarioRunView(plan.Name, T(plan.FromMs), T(plan.At(plan.Steps)), plan.StepMinutes, [.. Enumerable.Range(0, plan.Steps + 1).Select(i => T(plan.At(i)))],
            r.File.Baseline.Describe(), [.. r.File.Changes], Math.Round(r.SimulateMs, 1), o.MaxLevel.Colour(), Math.Round(o.NoRoom), zones, points, advice, frames);
    }
}
