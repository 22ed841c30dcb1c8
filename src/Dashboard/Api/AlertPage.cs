using System.Globalization;
using System.Net;
using System.Text;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Hosting;

namespace CrowdWatch.Dashboard.Api;

/// <summary>
/// The page of one alert that its CAP messages link to (<c>web</c>): place, level, state, the latest reason and every
/// event with its CAP message. Plain HTML with no script, so that any browser or reader that follows the link gets it.
/// </summary>
public static class AlertPage
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The page of alert <paramref name="id"/> from its <paramref name="events"/> (oldest first).</summary>
    public static string Html(Guid id, IReadOnlyList<AlertEvent> events, AreaCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(catalog);
        var last = events[^1];
        var alert = events.Select(e => AlertSnapshot.FromJson(e.State)).OfType<Alert>().LastOrDefault();
        var zone = catalog.Areas.TryGetValue(last.Area, out var area) ? area.TimeZone : TimeZoneInfo.Utc;
        string Local(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd HH:mm zzz", Ci);
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var name = alert is null ? last.Place : $"{alert.Place.NameZh} {alert.Place.NameEn}";
        var open = last.Kind is not ("resolved" or "expired");
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append(Ci, $"<title>CrowdWatch: {E(name)} {E(last.Level)}</title>")
          .Append("<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.red{color:#d7263d}.orange{color:#f28c28}.yellow{color:#b59a00}.blue{color:#2f6fdf}</style></head><body>")
          .Append(Ci, $"<h1 class=\"{E(last.Level)}\" data-alert=\"{id}\">{E(name)}: {E(last.Level.ToUpperInvariant())}</h1>")
          .Append(Ci, $"<p id=\"state\">{(open ? "Open" : "Closed")}: {E(alert?.State.ToString() ?? last.Kind)}, version {last.Sequence}, last event {E(last.Kind)} at {E(Local(last.AtMs))}.</p>");
        if (alert is not null)
        {
            // The page is public: no number of a slot under k.
            if (alert.UnderK) sb.Append("<p id=\"density\">Too few people at the latest slot to publish a density (under the privacy floor).</p>");
            else sb.Append(Ci, $"<p id=\"density\">Density {alert.Density:0.00} persons/m²{(alert.CapacityUse is { } u ? string.Create(Ci, $", {u * 100:0}% of capacity") : "")}{(alert.DensityFlagged ? " (capped: the data say more than a crowd can hold)" : "")}.</p>");
            sb.Append(Ci, $"<p>Reason: {E(alert.Trigger.Reason)}</p>");
            if (alert.Peak.Known) sb.Append(Ci, $"<p>Expected peak {alert.Peak.Density:0.00} persons/m² at {E(Local(alert.Peak.AtMs))} (80% interval {alert.Peak.Low:0.00}–{alert.Peak.High:0.00}).</p>");
            if (alert.DataGapSinceMs is { } gap) sb.Append(Ci, $"<p><strong>No data since {E(Local(gap))}</strong>: the warning stands until data show otherwise.</p>");
        }

        sb.Append("<table><tr><th>#</th><th>time</th><th>event</th><th>level</th><th>by</th><th>note</th><th>CAP</th></tr>");
        foreach (var e in events)
        {
            var cap = e.Message is null ? "" : $"<a href=\"{AlertsApi.CapPath(id, e.Sequence)}\">CAP {e.Sequence}</a>";
            sb.Append(Ci, $"<tr><td>{e.Sequence}</td><td>{E(Local(e.AtMs))}</td><td>{E(e.Kind)}</td><td>{E(e.Level)}</td><td>{E(e.Actor)}</td><td>{E(e.Note)}</td><td>{cap}</td></tr>");
        }

        sb.Append("</table><p><a href=\"/\">CrowdWatch dashboard</a> · <a href=\"/api/alerts/feed.atom\">feed</a></p></body></html>");
        return sb.ToString();
    }
}
