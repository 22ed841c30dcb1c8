using System.Text.Json;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// Writing data over HTTP (ingest keys): raw pings (NDJSON, or CSV with <c>Content-Type: text/csv</c>) and map-search
/// records (CSV) through the area's live binner, pseudonymised at the door; and per-cell counts as NDJSON, one object a line
/// <c>{"slotStart": "2025-10-01T20:00:00+08:00", "cell": 4391, "channel": "people", "value": 130}</c>. Each slot is
/// stored whole with its zone totals, under the key's name: posting a slot again replaces that key's earlier post of
/// it. A bad line is reported with its number, field and what was expected; the rest goes in.
/// </summary>
public static class IngestApi
{
    /// <summary>A line that was not taken.</summary>
    public sealed record LineProblem(int Line, string Field, string Problem);

    /// <summary>What happened to a post.</summary>
    public sealed record IngestSummary(int Accepted, int Rejected, int Slots, IReadOnlyList<LineProblem> Problems);

    /// <summary>What happened to a post of pings or searches.</summary>
    public sealed record BinnedSummary(long Rows, long Accepted, long Rejected, long OutsideGrid, long Duplicates,
        IReadOnlyDictionary<string, long> RejectedByReason, int SlotsStored, IReadOnlyList<LineProblem> Problems);

    private const int ProblemsShown = 100;

    /// <summary>Maps <c>/api/areas/{name}/ingest/...</c>.</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas/{name}/ingest").WithTags("Ingest").RequireAuthorization(Security.Roles.CanIngest);
        group.MapPost("/counts", async Task<Results<Ok<IngestSummary>, ProblemHttpResult>> (string name, HttpContext http, AreaCatalog catalog, ICountStore store,
            TimeProvider time, Microsoft.Extensions.Options.IOptions<IngestOptions> ingest, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            var clock = area.NewClock();
            var future = new Geo.Ingest.FutureBound(time, TimeSpan.FromMinutes(ingest.Value.FutureToleranceMinutes));
            var notAfter = future.NotAfterMs;
            var bySlot = new SortedDictionary<long, List<(int, string, double)>>();
            var problems = new List<LineProblem>();
            var (accepted, rejected, number) = (0, 0, 0);
            using var reader = new StreamReader(http.Request.Body);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var (problem, at, row) = Parse(line, number, area.Grid.Spec.CellCount);
                if (problem is null && at > notAfter) problem = new LineProblem(number, "slotStart", $"{Geo.Ingest.FutureBound.Reason}: {future.Describe(at, notAfter)}");
                if (problem is not null)
                {
                    rejected++;
                    if (problems.Count < ProblemsShown) problems.Add(problem);
                    continue;
                }

                var slot = clock.SlotStartMs(at);
                (bySlot.TryGetValue(slot, out var list) ? list : bySlot[slot] = []).Add(row);
                accepted++;
            }

            if (accepted == 0)
            {
                var none = TypedResults.Problem(rejected == 0 ? "The body holds no lines; expected NDJSON objects {slotStart, cell, channel, value}." : $"None of the {rejected} lines could be taken.",
                    title: "Nothing to ingest", statusCode: StatusCodes.Status400BadRequest);
                none.ProblemDetails.Extensions["problems"] = problems;
                return none;
            }

            var batches = new SlotBatches(area);
            var source = $"api:{http.User.Identity?.Name ?? "unknown"}";
            foreach (var (slot, values) in bySlot) await store.WriteAsync(batches.Of(source, slot, values), cancellationToken);
            await AuditAsync(http, "ingest.counts", name, $"{accepted} lines accepted, {rejected} rejected, {bySlot.Count} slots stored", cancellationToken);
            return TypedResults.Ok(new IngestSummary(accepted, rejected, bySlot.Count, problems));
        }).WithName("IngestCounts").WithSummary("Write per-cell counts (NDJSON)");
        group.MapPost("/pings", (string name, HttpContext http, LiveIngest live, CancellationToken cancellationToken) =>
            BinAsync(name, "ingest.pings", http, live, (a, body, problems) => a.PingsAsync(body, "pings", IsNdjson(http), problems, cancellationToken), cancellationToken)).WithName("IngestPings").WithSummary("Post raw location pings (NDJSON or CSV), pseudonymised at the door");
        group.MapPost("/searches", (string name, HttpContext http, LiveIngest live, CancellationToken cancellationToken) =>
            BinAsync(name, "ingest.searches", http, live, (a, body, problems) => a.SearchesAsync(body, "searches", problems, cancellationToken), cancellationToken)).WithName("IngestSearches").WithSummary("Post map-search records (CSV)");
        return app;
    }

    // Every accepted write is audited under the key that made it.
    private static Task AuditAsync(HttpContext http, string action, string area, string detail, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        return services.GetRequiredService<IAuditLog>().AppendAsync(new AuditEntry(now, http.User.Identity?.Name ?? "unknown", action, $"area:{area}", detail), cancellationToken);
    }

    // NDJSON unless the post says it is CSV.
    private static bool IsNdjson(HttpContext http) =>
        http.Request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);

    // Pings and searches go through the area's live binner; the body is read whole first (it is bounded by the request
    // size limit) because the readers are synchronous.
    private static async Task<Results<Ok<BinnedSummary>, ProblemHttpResult>> BinAsync(string name, string action, HttpContext http, LiveIngest live,
        Func<IAreaFeed, Stream, Action<Geo.Ingest.Rejection>, Task<Geo.Ingest.IngestReport>> bin, CancellationToken cancellationToken)
    {
        if (live.For(name) is not { } area) return AreaProblems.Unknown(name);
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, cancellationToken);
        body.Position = 0;
        var problems = new List<LineProblem>();
        var before = area.SlotsStored;
        Geo.Ingest.IngestReport report;
        try
        {
            report = await bin(area, body, r =>
            {
                if (problems.Count < ProblemsShown) problems.Add(new LineProblem((int)r.Line, r.Field, $"{r.Reason}: {r.Detail}"));
            });
        }
        catch (Cluster.IngestLogUnavailableException e)
        {
            // Nothing of the post was logged: the sender keeps it and tries again.
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem($"The ingest log cannot take records now ({e.Message}); nothing of this post was kept. Send it again after the Retry-After.",
                title: "Ingest log unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var summary = new BinnedSummary(report.Rows, report.Accepted, report.Rejected, report.OutsideGrid, report.Duplicates, report.RejectedByReason,
            area.SlotsStored - before, problems);
        if (report.Accepted > 0 || report.OutsideGrid > 0)
        {
            await AuditAsync(http, action, name, $"{report.Accepted} records accepted, {report.Rejected} rejected, {report.OutsideGrid} outside the grid, {summary.SlotsStored} slots stored", cancellationToken);
            return TypedResults.Ok(summary);
        }

        var none = TypedResults.Problem(report.Rejected == 0 ? "The body holds no records." : $"None of the {report.Rejected} records could be taken.",
            title: "Nothing to ingest", statusCode: StatusCodes.Status400BadRequest);
        none.ProblemDetails.Extensions["problems"] = problems;
        none.ProblemDetails.Extensions["rejectedByReason"] = report.RejectedByReason;
        return none;
    }

    // The line's instant and row, or what is wrong with it.
    private static (LineProblem? Problem, long AtMs, (int Cell, string Channel, double Value) Row) Parse(string line, int number, int cells)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return (new LineProblem(number, "(line)", $"not JSON: {e.Message}"), 0, default);
        }

        using (doc)
        {
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) return (new LineProblem(number, "(line)", "expected an object {slotStart, cell, channel, value}"), 0, default);
            if (!r.TryGetProperty("slotStart", out var s) || s.ValueKind != JsonValueKind.String || !Instants.TryParse(s.GetString()!, out var at))
                return (new LineProblem(number, "slotStart", $"expected {Instants.Expected}"), 0, default);
            if (!r.TryGetProperty("cell", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var cell) || cell < 0 || cell >= cells)
                return (new LineProblem(number, "cell", $"expected a cell id from 0 to {cells - 1}"), 0, default);
            if (!r.TryGetProperty("channel", out var ch) || ch.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(ch.GetString()) || ch.GetString()!.Length > 64)
                return (new LineProblem(number, "channel", "expected a channel name such as people, devices, inflow, outflow or search"), 0, default);
            if (!r.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()) || v.GetDouble() is < 0 or > SlotBatches.MaxValue)
                return (new LineProblem(number, "value", "expected a number from 0 to 1e12"), 0, default);
            return (null, at, (cell, ch.GetString()!, v.GetDouble()));
        }
    }
}
