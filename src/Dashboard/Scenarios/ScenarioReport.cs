using System.Globalization;
using System.Net;
using System.Text;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Time;
using ScottPlot;

namespace CrowdWatch.Dashboard.Scenarios;

/// <summary>
/// The report of one or more scenarios side by side: <c>index.html</c> with the tables and the PNG maps and charts
/// beside it, and CSV files of every zone's time line and summary for anyone who wants to look further.
/// </summary>
internal static class ScenarioReport
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>Writes the report into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, Area area, IReadOnlyList<ScenarioResult> results)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var tz = area.TimeZone;
        string Time(long ms) => Instants.Local(ms, tz)[11..16];
        string Day(long ms) => Instants.Local(ms, tz)[..16];
        var slugs = Slugs(results);

        // Maps of each scenario's peak density.
        for (var i = 0; i < results.Count; i++)
        {
            var o = results[i].Outcome;
            var path = Path.Combine(folder, $"{slugs[i]}-peak.png");
            var cells = new List<ViewerDensity>();
            for (var c = 0; c < o.PeakCellDensity.Length; c++)
                if (o.PeakCellDensity[c] > 0) cells.Add(new ViewerDensity(c, o.PeakCellDensity[c] * area.WalkableM2[c], o.PeakCellDensity[c]));
            HeatmapPng.Save(path, area, $"{o.Plan.Name}: each cell's highest density, {Day(o.Plan.FromMs)} to {Time(o.Plan.At(o.Plan.Steps))}", cells);
            files.Add(path);
        }

        // A chart per zone that any scenario takes to a warning level: its density through each scenario and the baseline.
        var zoneCount = area.Zones.Zones.Count;
        var charted = Enumerable.Range(0, zoneCount).Where(z => results.Any(r => r.Outcome.Zones[z].MaxLevel >= RiskLevel.Blue || r.Baseline.Zones[z].MaxLevel >= RiskLevel.Blue)).ToArray();
        foreach (var z in charted)
        {
            var path = Path.Combine(folder, $"zone-{Slug(area.Zones.Zones[z].Name, $"zone{z}")}.png");
            ZoneChart(path, area, z, results);
            files.Add(path);
        }

        var timeline = Path.Combine(folder, "zones.csv");
        using (var w = new StreamWriter(timeline, false, new UTF8Encoding(false)))
        {
            w.WriteLine("scenario,zone,time,people,density,capacity_use,level,warning");
            foreach (var r in results)
            {
                foreach (var z in r.Outcome.Zones)
                {
                    var walk = Walk(area, z.Zone);
                    for (var i = 0; i < z.People.Length; i++)
                    {
                        var cap = area.Zones.Zones[z.Zone].Capacity;
                        w.WriteLine(string.Create(Ci, $"{Csv(r.File.Name)},{Csv(z.Name)},{Instants.Local(r.Outcome.Plan.At(i), tz)},{z.People[i]:0},{(walk > 0 ? z.People[i] / walk : 0):0.000},{(cap is > 0 ? (z.People[i] / cap.Value).ToString("0.000", Ci) : "")},{z.Levels[i].Colour()},{z.Warnings[i].Colour()}"));
                    }
                }
            }
        }

        files.Add(timeline);
        var summary = Path.Combine(folder, "summary.csv");
        using (var w = new StreamWriter(summary, false, new UTF8Encoding(false)))
        {
            w.WriteLine("scenario,zone,peak_people,peak_density,peak_capacity_use,peak_at,max_level,first_warning_at,first_warning_level,first_red_warning_at,baseline_first_red_warning_at,turned_away,no_room,recommended_people_per_minute,baseline_peak_people,baseline_peak_density,baseline_max_level");
            foreach (var r in results)
            {
                foreach (var z in r.Outcome.Zones)
                {
                    var b = r.Baseline.Zones[z.Zone];
                    var rate = r.Advice?.Limits.Where(l => l.Zone == z.Zone).Select(l => l.PeoplePerMinute.ToString("0", Ci)).FirstOrDefault() ?? "";
                    w.WriteLine(string.Create(Ci, $"{Csv(r.File.Name)},{Csv(z.Name)},{z.PeakPeople:0},{z.PeakDensity:0.000},{(double.IsNaN(z.PeakUse) ? "" : z.PeakUse.ToString("0.000", Ci))},{Instants.Local(z.PeakAtMs, tz)},{z.MaxLevel.Colour()},")
                        + $"{(z.FirstWarning is { } f ? Instants.Local(f.AtMs, tz) : "")},{z.FirstWarning?.Level.Colour() ?? ""},{At(z.FirstWarningAt[3], tz)},{At(b.FirstWarningAt[3], tz)},{z.TurnedAway.ToString("0", Ci)},{z.NoRoom.ToString("0", Ci)},{rate},"
                        + string.Create(Ci, $"{b.PeakPeople:0},{b.PeakDensity:0.000},{b.MaxLevel.Colour()}"));
                }
            }
        }

        files.Add(summary);
        var html = Path.Combine(folder, "index.html");
        File.WriteAllText(html, Html(area, results, slugs, charted), new UTF8Encoding(false));
        files.Add(html);
        return files;
    }

    private static string At(long? ms, TimeZoneInfo tz) => ms is { } v ? Instants.Local(v, tz) : "";

    private static string Csv(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;

    private static string[] Slugs(IReadOnlyList<ScenarioResult> results)
    {
        var seen = new HashSet<string>();
        var slugs = new string[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var s = Slug(results[i].File.Name, $"scenario{i + 1}");
            while (!seen.Add(s)) s += "-" + (i + 1).ToString(Ci);
            slugs[i] = s;
        }

        return slugs;
    }

    private static string Slug(string name, string fallback)
    {
        var sb = new StringBuilder();
        foreach (var ch in name.ToLowerInvariant())
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        var s = sb.ToString().Trim('-');
        return s.Length == 0 ? fallback : s.Length > 48 ? s[..48].TrimEnd('-') : s;
    }

    private static void ZoneChart(string path, Area area, int z, IReadOnlyList<ScenarioResult> results)
    {
        var tz = area.TimeZone;
        double X(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), tz).DateTime.ToOADate();
        var plot = new Plot();
        Color[] palette = [Colors.Black, Colors.SteelBlue, Colors.Purple, Colors.SeaGreen, Colors.Brown, Colors.DeepPink];
        var walk = Walk(area, z);
        double top = 0;
        var first = results[0];
        var xs0 = Enumerable.Range(0, first.Baseline.Plan.Steps + 1).Select(i => X(first.Baseline.Plan.At(i))).ToArray();
        var baseline = first.Baseline.Zones[z].People.Select(p => walk > 0 ? p / walk : 0).ToArray();
        ChartParts.Line(plot, xs0, baseline, Colors.Gray, 1.5f, "baseline");
        top = Math.Max(top, baseline.DefaultIfEmpty(0).Max());
        for (var i = 0; i < results.Count; i++)
        {
            var o = results[i].Outcome;
            var xs = Enumerable.Range(0, o.Plan.Steps + 1).Select(k => X(o.Plan.At(k))).ToArray();
            var ys = o.Zones[z].People.Select(p => walk > 0 ? p / walk : 0).ToArray();
            ChartParts.Line(plot, xs, ys, palette[(i + 1) % palette.Length], 2, o.Plan.Name);
            top = Math.Max(top, ys.DefaultIfEmpty(0).Max());
            if (results[i].Advice is { } a && a.Limits.Any(l => l.Zone == z))
            {
                var cys = a.Checked.Zones[z].People.Select(p => walk > 0 ? p / walk : 0).ToArray();
                var line = plot.Add.ScatterLine(xs, cys);
                line.Color = palette[(i + 1) % palette.Length];
                line.LineWidth = 2;
                line.LinePattern = LinePattern.Dotted;
                line.LegendText = string.Create(Ci, $"{o.Plan.Name}, admitting {a.Limits.First(l => l.Zone == z).PeoplePerMinute:0}/min");
            }
        }

        var thresholds = Facts(area, z);
        ChartParts.LevelLines(plot, thresholds, (name, level) => string.Create(Ci, $"{name} from {level:0.00}/m²"));
        plot.Axes.DateTimeTicksBottom();
        var zone = area.Zones.Zones[z];
        plot.Title($"{zone.NameZh ?? zone.Name} {zone.NameEn ?? ""}: density through the scenarios".Trim());
        plot.Axes.Title.Label.FontName = ChartFont.Family;
        plot.Legend.FontName = ChartFont.Family;
        plot.YLabel("persons / walkable m²");
        plot.Axes.SetLimitsY(0, Math.Max(top, thresholds.Length > 3 ? thresholds[3] : top) * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1400, 600);
    }

    // Where the zone's levels begin, as densities: its density thresholds or, when its capacity binds first, the
    // density at that share of capacity.
    private static double[] Facts(Area area, int z)
    {
        var walk = Walk(area, z);
        return walk > 0 ? [.. LevelThresholds.ZoneCounts(area, z).Select(p => p / walk)] : [];
    }

    private static string Html(Area area, IReadOnlyList<ScenarioResult> results, string[] slugs, int[] charted)
    {
        var tz = area.TimeZone;
        string Time(long? ms) => ms is { } v ? Instants.Local(v, tz)[11..16] + (Instants.Local(v, tz)[..10] != Instants.Local(results[0].Outcome.Plan.FromMs, tz)[..10] ? " (" + Instants.Local(v, tz)[5..10] + ")" : "") : "—";
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CrowdWatch scenarios</title><style>")
          .Append("body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;max-width:1500px}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
          .Append(".lv{color:#fff;padding:1px 6px;border-radius:3px;text-shadow:0 0 2px #000}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}")
          .Append("</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Scenarios for {E(area.Name)}</h1><p>Model and assumptions: see README, Scenario planning. Times are local ({E(tz.Id)}). Files: <a href=\"summary.csv\">summary.csv</a>, <a href=\"zones.csv\">zones.csv</a>.</p>");

        // Side by side: each zone's highest level and first warning in every scenario, against the baseline.
        sb.Append("<h2>Side by side</h2><table><tr><th>zone</th><th>baseline: max level</th><th>first Red warning</th>");
        foreach (var r in results) sb.Append(CultureInfo.InvariantCulture, $"<th>{E(r.File.Name)}: max level</th><th>peak persons/m² (at)</th><th>first warning</th><th>first Red warning</th>");
        sb.Append("</tr>");
        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var b = results[0].Baseline.Zones[z];
            if (results.All(r => r.Outcome.Zones[z].MaxLevel == RiskLevel.None) && b.MaxLevel == RiskLevel.None) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Name(area, z))}</td><td>{Level(b.MaxLevel)}</td><td>{Time(b.FirstWarningAt[3])}</td>");
            foreach (var r in results)
            {
                var o = r.Outcome.Zones[z];
                var first = o.FirstWarning is { } f ? $"{Time(f.AtMs)} {Level(f.Level)}" : "—";
                sb.Append(CultureInfo.InvariantCulture, $"<td>{Level(o.MaxLevel)}</td><td>{o.PeakDensity:0.00} ({Time(o.PeakAtMs)})</td><td>{first}</td><td>{Time(o.FirstWarningAt[3])}</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</table>");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var o = r.Outcome;
            var f = r.File;
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(f.Name)}</h2><ul><li>{Time(f.FromMs)} {E(Instants.Local(f.FromMs, tz)[..10])} to {Time(f.ToMs)}, steps of {f.StepMinutes} min; visitors stay {f.DwellMinutes:0} min on average</li>")
              .Append(CultureInfo.InvariantCulture, $"<li>Usual crowd: {E(f.Baseline.Describe())}</li>");
            if (f.Changes.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"<li>Changes: {E(string.Join("; ", f.Changes))}</li>");
            foreach (var e in f.Events) sb.Append(CultureInfo.InvariantCulture, $"<li>Event {E(e.Name)}: {e.Attendance:N0} people, {Time(e.StartMs)}–{Time(e.EndMs)}, arriving over {e.ArrivalMinutes} min ({e.Profile.ToString().ToLowerInvariant()}), leaving over {e.DepartureMinutes} min, {e.Venue.Length} cells</li>");
            foreach (var c in f.Closures) sb.Append(CultureInfo.InvariantCulture, $"<li>Closed: {E(c.Name)} ({c.Cells.Length} cells) {Time(c.FromMs)}–{Time(c.ToMs)}</li>");
            foreach (var a in f.Admissions) sb.Append(CultureInfo.InvariantCulture, $"<li>Admission limit: {E(Name(area, a.Zone))} at most {a.PeoplePerMinute:0} people a minute</li>");
            sb.Append(CultureInfo.InvariantCulture, $"<li>Ran in {r.SimulateMs:0} ms; highest level {Level(o.MaxLevel)}; {o.NoRoom:N0} people found no room (cells packed to 5 persons/m²) and stayed away</li></ul>");

            sb.Append("<table><tr><th>zone</th><th>peak people</th><th>persons/m²</th><th>capacity use</th><th>at</th><th>max level</th><th>first warning</th><th>first Orange</th><th>first Red</th><th>turned away</th><th>no room</th><th>level time line</th></tr>");
            foreach (var z in o.Zones.Where(z => z.MaxLevel > RiskLevel.None || z.PeakPeople > 0).OrderByDescending(z => z.MaxLevel).ThenByDescending(z => z.PeakDensity))
            {
                var first = z.FirstWarning is { } w ? $"{Time(w.AtMs)} {Level(w.Level)} <small>{E(w.Kind.ToString().ToLowerInvariant())}: {E(w.Reason)}</small>" : "—";
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Name(area, z.Zone))}</td><td>{z.PeakPeople:N0}</td><td>{z.PeakDensity:0.00}</td><td>{(double.IsNaN(z.PeakUse) ? "—" : z.PeakUse.ToString("P0", Ci))}</td><td>{Time(z.PeakAtMs)}</td><td>{Level(z.MaxLevel)}</td>")
                  .Append(CultureInfo.InvariantCulture, $"<td style=\"text-align:left\">{first}</td><td>{Time(z.FirstWarningAt[2])}</td><td>{Time(z.FirstWarningAt[3])}</td><td>{z.TurnedAway:N0}</td><td>{z.NoRoom:N0}</td><td style=\"white-space:nowrap\">{Strip(z, o.Plan, tz)}</td></tr>");
            }

            sb.Append("</table>");
            if (o.RiskPoints.Count > 0) RiskPointsTable(sb, area, o.RiskPoints, Time);
            if (r.Advice is { } advice) AdviceTable(sb, area, r, advice, Time);

            sb.Append(CultureInfo.InvariantCulture, $"<img src=\"{slugs[i]}-peak.png\" alt=\"peak density map of {E(f.Name)}\">");
        }

        sb.Append("<h2>Zones</h2>");
        foreach (var z in charted) sb.Append(CultureInfo.InvariantCulture, $"<img src=\"zone-{Slug(area.Zones.Zones[z].Name, $"zone{z}")}.png\" alt=\"{E(Name(area, z))}\">");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Level(RiskLevel l) => $"<span class=\"lv\" style=\"background:{l.Hex()}\">{E(l == RiskLevel.None ? "none" : l.Colour())}</span>";

    // The ten highest risk points of a scenario: where, how dense, when.
    private static void RiskPointsTable(StringBuilder sb, Area area, IReadOnlyList<RiskPoint> points, Func<long?, string> time)
    {
        sb.Append("<h3>Risk points</h3><table><tr><th>rank</th><th>level</th><th>cells</th><th>peak persons/m²</th><th>at</th><th>people at peak</th><th>score</th><th>where</th></tr>");
        foreach (var p in points.Take(10))
        {
            var (lon, lat) = area.Grid.CellCentre(area.Grid.CellAt(p.Cells[0]));
            var zone = area.Zones.PrimaryZoneByCell[p.Cells[0]] is var zi and >= 0 ? Name(area, zi) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{p.Rank}</td><td>{Level(p.Level)}</td><td>{p.Cells.Count}</td><td>{p.Peak.Density:0.00}</td><td>{time(p.Peak.AtMs)}</td><td>{p.PeopleAtPeak:N0}</td><td>{p.Score:N0}</td><td>{E(zone)} {lat:0.0000}, {lon:0.0000}</td></tr>");
        }

        sb.Append("</table>");
    }

    // The admission limits found to keep every zone below Orange, with what they give.
    private static void AdviceTable(StringBuilder sb, Area area, ScenarioResult r, AdmissionAdvice advice, Func<long?, string> time)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<h3>Admission limits that keep every zone below Orange</h3><p>Found in {advice.Runs} runs ({r.AdviceMs / 1000:0.0} s); with them the highest level is {Level(advice.Checked.MaxLevel)}.</p><table><tr><th>zone</th><th>people a minute</th><th>peak then</th><th>max level then</th><th>turned away</th></tr>");
        foreach (var l in advice.Limits)
        {
            var z = advice.Checked.Zones[l.Zone];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Name(area, l.Zone))}</td><td>{l.PeoplePerMinute:0}</td><td>{z.PeakDensity:0.00}/m² ({time(z.PeakAtMs)})</td><td>{Level(z.MaxLevel)}</td><td>{z.TurnedAway:N0}</td></tr>");
        }

        sb.Append("</table>");
        if (advice.Unreachable.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"<p>No admission limit brings these below Orange (they need other measures): {E(string.Join(", ", advice.Unreachable.Select(z => Name(area, z))))}.</p>");
    }

    // The level at every step as a strip of coloured marks, an hour to a gap.
    private static string Strip(ZoneOutcome z, ScenarioPlan plan, TimeZoneInfo tz)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < z.Levels.Length; i++)
        {
            var title = $"{Instants.Local(plan.At(i), tz)[11..16]} {z.Levels[i].Colour()}";
            sb.Append(CultureInfo.InvariantCulture, $"<span title=\"{title}\" style=\"display:inline-block;width:3px;height:14px;background:{z.Levels[i].Hex()}\"></span>");
        }

        return sb.ToString();
    }

    private static string Name(Area area, int z)
    {
        var zone = area.Zones.Zones[z];
        return zone.NameZh is { } zh && zone.NameEn is { } en ? $"{zh} {en}" : zone.Name;
    }

    private static double Walk(Area area, int z) => area.Zones.ZoneWalkableM2(z, area.WalkableM2);
}
