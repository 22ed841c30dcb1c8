using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// Alerts as other systems read them: the open alerts, each alert's history, each CAP message at a stable URL
/// (<c>/api/alerts/{id}/cap/{version}</c>) and an Atom feed of the active alerts' latest messages, as CAP publishers offer.
/// </summary>
public static class AlertsApi
{
    /// <summary>
    /// An open alert as the API lists it. <c>PeakDensity</c>, <c>PeakAt</c>, <c>PeakLow</c> and <c>PeakHigh</c> are the
    /// highest forecast slot ahead and its 80% interval (null without a forecast); <c>DensityFlagged</c> says the data
    /// gave more than a crowd can hold (the density is capped); <c>DataGap</c> says since when no data came, if so.
    /// <c>DensityStatus</c> is <c>LOW_DENSITY</c> where the place's latest slot counted fewer than the area's k people
    /// or devices: a viewer then gets no density, capacity use or trend (null); operators get them.
    /// </summary>
    public sealed record AlertSummary(Guid Id, string Area, string Place, string NameZh, string NameEn, string Level, string State, int Version,
        string Trigger, string Certainty, double? Density, double? CapacityUse, double? TrendPerHour, double? PeakDensity, DateTimeOffset? PeakAt,
        DateTimeOffset Raised, DateTimeOffset Changed, int Stage, string? AcknowledgedBy, string InstructionZh, string InstructionEn, string Cap,
        double? PeakLow = null, double? PeakHigh = null, string Reason = "", string Severity = "", string Urgency = "", bool DensityFlagged = false,
        DateTimeOffset? DataGapSince = null, string Page = "", string DensityStatus = Geo.Privacy.KThreshold.DensityEstimation);

    /// <summary>One event of an alert's history.</summary>
    public sealed record AlertHistoryEntry(int Version, DateTimeOffset At, string Kind, string Level, string Actor, string? Note, string? Cap);

    /// <summary>An operator's acknowledgement or resolution: an optional note (at most 1 000 characters).</summary>
    public sealed record AlertAction(string? Note);

    /// <summary>
    /// A risk point as the API returns it: outline in WGS84 as GeoJSON geometry. The peak is a forecast slot ahead with
    /// its 80% interval, or the judged slot itself with no interval (null) where no forecast reaches higher.
    /// </summary>
    public sealed record RiskPointView(int Rank, int[] Cells, string Level, double Score, double PeakDensity, DateTimeOffset PeakAt, double? PeakLow, double? PeakHigh,
        double PeopleAtPeak, System.Text.Json.JsonElement Outline);

    /// <summary>The risk points of an area's last judged slot.</summary>
    public sealed record RiskPointsView(string Area, DateTimeOffset Slot, RiskPointView[] Points);

    private static readonly System.Text.Json.JsonSerializerOptions GeoJson = new() { Converters = { new NetTopologySuite.IO.Converters.GeoJsonConverterFactory() } };

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Maps <c>/api/alerts</c>.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", (AlertService alerts, TimeProvider time, IOptions<AlertingOptions> options, HttpContext http) =>
            TypedResults.Ok(alerts.Open.Select(a => Summarise(a, alerts.Playbook, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.Cap,
                exact: Security.Viewing.SeesExactCounts(http.User))).ToArray())).WithName("ListAlerts").WithSummary("The open alerts, most dangerous first");
        group.MapGet("/{id:guid}", async Task<Results<Ok<AlertHistoryEntry[]>, ProblemHttpResult>> (Guid id, IAlertStore store, CancellationToken cancellationToken) =>
        {
            var events = await store.EventsAsync(id, cancellationToken);
            return events.Count == 0
                ? TypedResults.Problem($"No alert {id}.", title: "Unknown alert", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Ok(events.Select(e => new AlertHistoryEntry(e.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs), e.Kind, e.Level, e.Actor, e.Note,
                    e.Message is null ? null : CapPath(id, e.Sequence))).ToArray());
        }).WithName("GetAlertHistory").WithSummary("An alert's history: every event with its CAP message");
        group.MapGet("/{id:guid}/cap/{version:int}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (Guid id, int version, IAlertStore store, CancellationToken cancellationToken) =>
        {
            var e = (await store.EventsAsync(id, cancellationToken)).FirstOrDefault(x => x.Sequence == version);
            return e?.Message is { } xml
                ? TypedResults.Content(xml, "application/cap+xml; charset=utf-8")
                : TypedResults.Problem($"Alert {id} has no CAP message {version}.", title: "No such message", statusCode: StatusCodes.Status404NotFound);
        }).WithName("GetCapMessage").WithSummary("One version of an alert's CAP 1.2 message");
        app.MapGet("/api/areas/{name}/risk-points", async Task<Results<Ok<RiskPointsView>, ProblemHttpResult>> (string name, HttpContext http, AreaCatalog catalog, AlertService alerts, CancellationToken cancellationToken) =>
        {
            if (!catalog.Areas.TryGetValue(name, out var area)) return AreaProblems.Unknown(name);
            if (await alerts.RiskPointsAsync(name, cancellationToken) is not { } found)
                return TypedResults.Problem($"Area '{name}' has no slot judged yet.", title: "No risk points yet", statusCode: StatusCodes.Status404NotFound);
            // Points under the area's k people are not shown to viewers, like any aggregate.
            var points = found.Points.Where(p => !Security.Viewing.KFor(http.User, area).Suppresses(p.PeopleAtPeak)).Select(p => new RiskPointView(p.Rank, [.. p.Cells], p.Level.Colour(), Math.Round(p.Score, 1),
                Math.Round(p.Peak.Density, 3), DateTimeOffset.FromUnixTimeMilliseconds(p.Peak.AtMs),
                p.Peak.AtMs > found.SlotMs ? Math.Round(p.Peak.Low, 3) : null, p.Peak.AtMs > found.SlotMs ? Math.Round(p.Peak.High, 3) : null, Math.Round(p.PeopleAtPeak),
                System.Text.Json.JsonSerializer.SerializeToElement(CellRiskPoints.Wgs84(area, p.Outline), GeoJson))).ToArray();
            return TypedResults.Ok(new RiskPointsView(name, DateTimeOffset.FromUnixTimeMilliseconds(found.SlotMs), points));
        }).WithName("GetRiskPoints").WithSummary("The ranked risk points of the area's last judged slot").WithTags("Alerts");
        group.MapPost("/{id:guid}/acknowledge", (Guid id, AlertAction? action, AlertService alerts, HttpContext http, CancellationToken cancellationToken) =>
            ActAsync(id, action, resolve: false, alerts, http, cancellationToken)).WithName("AcknowledgeAlert").WithSummary("An operator acknowledges an open alert").RequireAuthorization(Security.Roles.CanOperate);
        group.MapPost("/{id:guid}/resolve", (Guid id, AlertAction? action, AlertService alerts, HttpContext http, CancellationToken cancellationToken) =>
            ActAsync(id, action, resolve: true, alerts, http, cancellationToken)).WithName("ResolveAlert").WithSummary("An operator resolves an open alert").RequireAuthorization(Security.Roles.CanOperate);
        // Who hears of alerts: addresses and phone numbers, so admins only. An edit holds from the next notification on.
        group.MapGet("/recipients", (RecipientBook book) => TypedResults.Ok(book.Shown())).WithName("GetRecipients").WithSummary("Who hears of alerts (admins only)").RequireAuthorization(Security.Roles.CanAdminister);
        group.MapPut("/recipients", async Task<Results<Ok<RecipientSettings[]>, ProblemHttpResult>> (RecipientSettings[] recipients, RecipientBook book, IAuditLog audit,
            TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
        {
            var before = book.Current.Count;
            if (book.Replace(recipients) is { } problem) return TypedResults.Problem(problem, title: "Bad recipient", statusCode: StatusCodes.Status400BadRequest);
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow().ToUnixTimeMilliseconds(), http.User.Identity?.Name ?? "unknown", "recipients.edit", book.FilePath,
                $"{before} recipients -> {recipients.Length}: {string.Join(", ", recipients.Select(r => $"{r.Channel} {r.Address} from {r.From} stage {r.Stage}"))}"), cancellationToken);
            return TypedResults.Ok(book.Shown());
        }).WithName("SetRecipients").WithSummary("Replace who hears of alerts (admins only)").RequireAuthorization(Security.Roles.CanAdminister);
        group.MapGet("/feed.atom", async (IAlertStore store, IOptions<AlertingOptions> options, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Content(await FeedAsync(store, options.Value, $"{http.Request.Scheme}://{http.Request.Host}", time.GetUtcNow(), cancellationToken), "application/atom+xml; charset=utf-8")).WithName("GetAlertFeed").WithSummary("Atom feed of the active alerts' CAP messages");
        // The page each CAP message's <web> names: the alert's state and history for people who follow the link.
        app.MapGet("/alerts/{id:guid}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (Guid id, IAlertStore store, AreaCatalog catalog, CancellationToken cancellationToken) =>
        {
            var events = await store.EventsAsync(id, cancellationToken);
            return events.Count == 0
                ? TypedResults.Problem($"No alert {id}.", title: "Unknown alert", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Content(AlertPage.Html(id, events, catalog), "text/html; charset=utf-8");
        }).WithName("GetAlertPage").WithSummary("The alert's public page, which its CAP messages link to").WithTags("Alerts").WithName("AlertPage").WithSummary("The alert's page (linked from its CAP messages)");
        return app;
    }

    // The operator is the API key's name: it goes into the alert's history, the audit log and the notifications.
    private static async Task<Results<Ok<AlertHistoryEntry>, ProblemHttpResult>> ActAsync(Guid id, AlertAction? action, bool resolve, AlertService alerts, HttpContext http,
        CancellationToken cancellationToken)
    {
        var note = action?.Note?.Trim();
        if (note is { Length: > 1000 })
            return TypedResults.Problem($"note: at most 1000 characters, got {note.Length}.", title: "Bad note", statusCode: StatusCodes.Status400BadRequest);
        var actor = http.User.Identity?.Name ?? "unknown";
        try
        {
            var change = await alerts.ActAsync(id, actor, string.IsNullOrEmpty(note) ? null : note, resolve, cancellationToken);
            var a = change.Alert;
            return TypedResults.Ok(new AlertHistoryEntry(a.Version, DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs), change.Kind.ToString().ToLowerInvariant(), a.Level.Colour(),
                change.Actor, change.Note, CapMessage.Publishes(change) ? CapPath(a.Id, a.Version) : null));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.Problem($"No open alert {id}.", title: "Unknown alert", statusCode: StatusCodes.Status404NotFound);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, title: "Already acknowledged", statusCode: StatusCodes.Status409Conflict);
        }
    }

    /// <summary>The path of an alert's CAP message <paramref name="version"/>.</summary>
    public static string CapPath(Guid id, int version) => $"/api/alerts/{id}/cap/{version}";

    private static AlertSummary Summarise(Alert a, Alerts.Playbooks.Playbook playbook, long nowMs, CapOptions cap, bool exact)
    {
        var grading = CapGrading.Of(a, nowMs, cancel: false);
        var peak = a.Peak.Known;
        // A viewer sees no number of a slot under k: it would tell how many people a small group is.
        var shown = exact || !a.UnderK;
        return new(a.Id, a.Area, a.Place.Id, a.Place.NameZh, a.Place.NameEn, a.Level.Colour(), a.State.ToString().ToLowerInvariant(),
            a.Version, a.Trigger.Kind.ToString(), a.Trigger.Certainty.ToString(), shown ? Math.Round(a.Density, 3) : null, shown && a.CapacityUse is { } u ? Math.Round(u, 3) : null,
            shown ? Math.Round(a.Trend * 60, 3) : null, peak ? Math.Round(a.Peak.Density, 3) : null, peak ? DateTimeOffset.FromUnixTimeMilliseconds(a.Peak.AtMs) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(a.RaisedMs), DateTimeOffset.FromUnixTimeMilliseconds(a.ChangedMs), a.Stage, a.AcknowledgedBy,
            playbook.For(a.Place.Id, a.Level).Zh, playbook.For(a.Place.Id, a.Level).En, CapPath(a.Id, a.ChangedVersion),
            peak ? Math.Round(a.Peak.Low, 3) : null, peak ? Math.Round(a.Peak.High, 3) : null, a.Trigger.Reason, grading.Severity, grading.Urgency, a.DensityFlagged,
            a.DataGapSinceMs is { } gap ? DateTimeOffset.FromUnixTimeMilliseconds(gap) : null, $"/alerts/{a.Id}",
            a.UnderK ? Geo.Privacy.KThreshold.LowDensity : Geo.Privacy.KThreshold.DensityEstimation);
    }

    // Per open alert, its latest CAP message: identifier, sent, English headline, severity and area from the message itself.
    // Only messages still in force are listed: a lapsed message is no warning (open alerts are renewed before they lapse).
    private static async Task<string> FeedAsync(IAlertStore store, AlertingOptions options, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", $"{origin}/api/alerts/feed.atom"),
            new XElement(Atom + "title", $"{options.Cap.SenderNameEn}: active alerts"),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", $"{origin}/api/alerts/feed.atom")),
            new XElement(Atom + "author", new XElement(Atom + "name", options.Cap.SenderNameEn)));
        var updated = DateTimeOffset.UnixEpoch;
        foreach (var open in await store.OpenAlertsAsync(null, cancellationToken))
        {
            var published = (await store.EventsAsync(open.AlertId, cancellationToken)).LastOrDefault(e => e.Message is not null);
            if (published?.Message is not { } xml) continue;
            var cap = XDocument.Parse(xml).Root!;
            if (CapMessage.ExpiresMs(cap) is { } expires && expires <= now.ToUnixTimeMilliseconds()) continue;
            var en = cap.Elements(CapMessage.Ns + "info").FirstOrDefault(i => i.Element(CapMessage.Ns + "language")?.Value == "en-US") ?? cap.Element(CapMessage.Ns + "info");
            var sent = DateTimeOffset.Parse(cap.Element(CapMessage.Ns + "sent")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            if (sent > updated) updated = sent;
            feed.Add(new XElement(Atom + "entry",
                new XElement(Atom + "id", $"urn:cap:{cap.Element(CapMessage.Ns + "sender")!.Value}:{cap.Element(CapMessage.Ns + "identifier")!.Value}"),
                new XElement(Atom + "title", en?.Element(CapMessage.Ns + "headline")?.Value ?? open.Place),
                new XElement(Atom + "updated", sent.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)),
                new XElement(Atom + "summary", $"{en?.Element(CapMessage.Ns + "severity")?.Value}: {en?.Element(CapMessage.Ns + "area")?.Element(CapMessage.Ns + "areaDesc")?.Value}"),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "application/cap+xml"), new XAttribute("href", origin + CapPath(published.AlertId, published.Sequence)))));
        }

        feed.AddFirst(new XElement(Atom + "updated", (updated == DateTimeOffset.UnixEpoch ? now : updated).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Declaration + Environment.NewLine + feed;
    }
}
