using System.Globalization;
using System.Text.Json;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Calendar;

/// <summary>
/// Reads a calendar JSON file (comments allowed): <c>holidays</c> with <c>name_en</c>, <c>name_zh</c>, <c>from</c>,
/// <c>to</c> (ISO dates) and <c>workdays</c>; <c>events</c> with <c>name_en</c>, <c>name_zh</c>, <c>zone</c>, either
/// <c>daily: true</c> or <c>from</c>/<c>to</c>, <c>start</c>/<c>end</c> (HH:mm local) and <c>attendance</c>. A bad entry
/// is reported by its position and field and skipped; the rest is read.
/// </summary>
public static class CalendarReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads calendar JSON text; <paramref name="file"/> names it in problems.</summary>
    public static HolidayCalendar Read(string json, string file, List<LayerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            problems.Add(new LayerProblem(file, $"line {e.LineNumber + 1}", $"not valid JSON: {e.Message}"));
            return HolidayCalendar.Empty;
        }

        using (doc)
        {
            var holidays = new List<Holiday>();
            var events = new List<CrowdEvent>();
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new LayerProblem(file, "root", "expected an object with 'holidays' and 'events'"));
                return HolidayCalendar.Empty;
            }

            if (doc.RootElement.TryGetProperty("holidays", out var hs) && hs.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var h in hs.EnumerateArray())
                {
                    var label = $"holidays[{i++}]";
                    if (!Date(h, "from", file, label, problems, out var from) || !Date(h, "to", file, label, problems, out var to)) continue;
                    if (to < from) { problems.Add(new LayerProblem(file, label, $"'to' {to:yyyy-MM-dd} is before 'from' {from:yyyy-MM-dd}")); continue; }
                    var workdays = new List<DateOnly>();
                    if (h.TryGetProperty("workdays", out var ws) && ws.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var w in ws.EnumerateArray())
                        {
                            if (w.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(w.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wd)) workdays.Add(wd);
                            else problems.Add(new LayerProblem(file, label, $"workday {w} is not a date; expected yyyy-MM-dd"));
                        }
                    }

                    holidays.Add(new Holiday(Text(h, "name_en"), Text(h, "name_zh"), from, to, workdays));
                }
            }

            if (doc.RootElement.TryGetProperty("events", out var es) && es.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var e in es.EnumerateArray())
                {
                    var label = $"events[{i++}]";
                    var zone = Text(e, "zone");
                    if (zone.Length == 0) { problems.Add(new LayerProblem(file, label, "property 'zone' is missing; expected a zone name")); continue; }
                    DateOnly? from = null, to = null;
                    var daily = e.TryGetProperty("daily", out var d) && d.ValueKind == JsonValueKind.True;
                    if (!daily)
                    {
                        if (!Date(e, "from", file, label, problems, out var f) || !Date(e, "to", file, label, problems, out var t)) continue;
                        (from, to) = (f, t);
                    }

                    if (!Time(e, "start", file, label, problems, out var start) || !Time(e, "end", file, label, problems, out var end)) continue;
                    if (!e.TryGetProperty("attendance", out var a) || a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out var attendance) || attendance < 0)
                    {
                        problems.Add(new LayerProblem(file, label, "property 'attendance' must be a whole number of people, 0 or more"));
                        continue;
                    }

                    events.Add(new CrowdEvent(Text(e, "name_en"), Text(e, "name_zh"), zone, from, to, start, end, attendance));
                }
            }

            return new HolidayCalendar(holidays, events);
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";

    private static bool Date(JsonElement e, string name, string file, string label, List<LayerProblem> problems, out DateOnly date)
    {
        if (DateOnly.TryParseExact(Text(e, name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        problems.Add(new LayerProblem(file, label, $"property '{name}' must be a date, yyyy-MM-dd"));
        return false;
    }

    private static bool Time(JsonElement e, string name, string file, string label, List<LayerProblem> problems, out TimeOnly time)
    {
        if (TimeOnly.TryParseExact(Text(e, name), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time)) return true;
        problems.Add(new LayerProblem(file, label, $"property '{name}' must be a local time, HH:mm"));
        return false;
    }
}
