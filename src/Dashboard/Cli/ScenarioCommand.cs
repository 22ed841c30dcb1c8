using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Dashboard.Scenarios;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch scenario run a.json [b.json ...]</c>: runs planners' scenarios over an area's history and writes the
/// report (HTML with PNG maps and charts, CSV) with the scenarios side by side.
/// </summary>
internal static class ScenarioCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var area = new AreaOptions();
        var files = new Argument<string[]>("files") { Description = "Scenario files (JSON; see README, Scenario planning)", Arity = ArgumentArity.OneOrMore };
        var (history, days, outDir) = Options();
        var run = new Command("run", "Run scenarios and write their report side by side");
        run.Arguments.Add(files);
        area.AddTo(run);
        foreach (var o in new Option[] { history, days, outDir }) run.Options.Add(o);
        run.SetAction(parse => CliErrors.Run(error, () =>
        {
            var clock = Stopwatch.StartNew();
            var progress = new ElapsedProgress(error, clock);
            var paths = parse.GetValue(files)!;
            var (texts, failed) = ReadTexts(paths, error);

            var resolved = area.Resolve(parse, error, out var entry);
            var calendar = AreaOptions.Calendar(resolved, entry, error);
            var scenarios = ParseScenarios(texts, resolved, error, ref failed);

            if (scenarios.Count == 0) return 1;
            progress.Report($"{scenarios.Count} scenario(s) read; loading the history");
            AreaPanels panels;
            if ((parse.GetValue(history) ?? entry?.HistoryPath) is { } wide)
            {
                var log = new RejectLog(new IngestReport(), observer: r => error.WriteLine($"warning: {r}"));
                panels = AreaPanels.LoadWide(resolved, wide, log);
                if (log.Report.FileErrors.Count > 0) return 1;
            }
            else
            {
                var cliStore = CliStore.From(environment);
                using var store = cliStore.Open();
                var to = Math.Min(scenarios.Min(s => s.FromMs), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                panels = AreaPanels.LoadAsync(store.Counts, resolved, to - (parse.GetValue(days) * 86_400_000L), to).GetAwaiter().GetResult()
                    ?? throw new InvalidDataException($"{cliStore.Description} holds no counts of area '{resolved.Name}' in the {parse.GetValue(days)} days before {Instants.Local(to, resolved.TimeZone)}; give --history");
            }

            progress.Report($"history: {panels.Cells.Count} cells x {panels.Cells.Length} slots; laying the walk network over {resolved.Grid.Spec.CellCount:N0} cells");
            var network = ScenarioPlanner.Network(resolved);
            progress.Report($"{network.Edges.Length:N0} passages");
            var results = new List<ScenarioResult>();
            foreach (var s in scenarios)
            {
                progress.Report($"running '{s.Name}' ({s.Steps} steps of {s.StepMinutes} min)");
                results.Add(ScenarioPlanner.Run(network, panels, calendar, s, progress));
            }

            Print(output, resolved.TimeZone, resolved.Zones.Zones.Select(z => z.Name).ToArray(), results);
            var folder = Path.GetFullPath(parse.GetValue(outDir)!);
            progress.Report($"writing the report to {folder}");
            var written = ScenarioReport.Write(folder, resolved, results);
            output.WriteLine($"report: {Path.Combine(folder, "index.html")} ({written.Count} files)");
            output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
            return failed > 0 ? 1 : 0;
        }));

        var command = new Command("scenario", "Plan ahead: what-if scenarios of events, closures, admission limits and changed crowds");
        command.Subcommands.Add(run);
        return command;
    }

    // Each file's text; one that cannot be read is named and counted as failed.
    private static (List<(string Path, string Json)> Texts, int Failed) ReadTexts(IEnumerable<string> paths, TextWriter error)
    {
        var texts = new List<(string Path, string Json)>();
        var failed = 0;
        foreach (var p in paths)
        {
            try
            {
                texts.Add((p, File.ReadAllText(p)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {p}: {e.Message}");
                failed++;
            }
        }

        return (texts, failed);
    }

    // The scenarios that read; each that does not is not run, its problems listed.
    private static List<ScenarioFile> ParseScenarios(List<(string Path, string Json)> texts, Geo.Areas.Area area, TextWriter error, ref int failed)
    {
        var scenarios = new List<ScenarioFile>();
        foreach (var (p, json) in texts)
        {
            var problems = new List<string>();
            if (ScenarioFile.Read(p, json, area, problems) is { } file) scenarios.Add(file);
            else
            {
                foreach (var problem in problems) error.WriteLine($"error: {problem}");
                error.WriteLine($"{p}: not run ({problems.Count} problem{(problems.Count == 1 ? "" : "s")})");
                failed++;
            }
        }

        return scenarios;
    }

    private static void Print(TextWriter output, TimeZoneInfo tz, string[] zones, IReadOnlyList<ScenarioResult> results)
    {
        var ci = CultureInfo.InvariantCulture;
        string Time(long? ms) => ms is { } v ? Instants.Local(v, tz)[11..16] : "-";
        foreach (var r in results)
        {
            var o = r.Outcome;
            output.WriteLine($"== {r.File.Name}: {Instants.Local(r.File.FromMs, tz)} to {Time(r.File.ToMs)}, {r.File.Steps} steps, simulated in {r.SimulateMs:0} ms; highest level {o.MaxLevel.Colour()}; {o.NoRoom:N0} found no room");
            output.WriteLine("zone              peak people  /m²    use   at     max      first warning        first Orange  first Red  (baseline Red)  turned away");
            foreach (var z in o.Zones.Where(z => z.MaxLevel > RiskLevel.None || r.Baseline.Zones[z.Zone].MaxLevel > RiskLevel.None).OrderByDescending(z => z.MaxLevel).ThenByDescending(z => z.PeakDensity))
            {
                var first = z.FirstWarning is { } f ? $"{Time(f.AtMs)} {f.Level.Colour()} ({f.Kind.ToString().ToLowerInvariant()})" : "-";
                output.WriteLine(string.Create(ci, $"{z.Name,-17} {z.PeakPeople,11:N0}  {z.PeakDensity,5:0.00}  {(double.IsNaN(z.PeakUse) ? "-" : z.PeakUse.ToString("P0", ci)),5}  {Time(z.PeakAtMs)}  {z.MaxLevel.Colour(),-7}  {first,-20} {Time(z.FirstWarningAt[2]),-13} {Time(z.FirstWarningAt[3]),-10} {Time(r.Baseline.Zones[z.Zone].FirstWarningAt[3]),-15} {z.TurnedAway,11:N0}"));
            }

            foreach (var p in o.RiskPoints.Take(5))
                output.WriteLine(string.Create(ci, $"  risk point {p.Rank}: {p.Level.Colour()}, {p.Cells.Count} cells from cell {p.Cells[0]}, peak {p.Peak.Density:0.00}/m² at {Time(p.Peak.AtMs)}, score {p.Score:N0}"));
            if (r.Advice is { } a)
            {
                output.WriteLine(string.Create(ci, $"  recommended admission limits ({a.Runs} runs, {r.AdviceMs / 1000:0.0} s): ")
                    + string.Join(", ", a.Limits.Select(l => string.Create(ci, $"{zones[l.Zone]} {l.PeoplePerMinute:0}/min")))
                    + $"; with them the highest level is {a.Checked.MaxLevel.Colour()}"
                    + (a.Unreachable.Count > 0 ? $"; beyond admission limits: {string.Join(", ", a.Unreachable.Select(z => zones[z]))}" : ""));
            }
        }
    }

    // The verb's options, as the command line names them.
    private static (Option<string?> History, Option<int> Days, Option<string> OutDir) Options() =>
    (
        new Option<string?>("--history") { Description = "Wide history file the usual crowd is forecast from (default: the deployment's; else the store's counts)" },
        new Option<int>("--history-days") { Description = "Days of the store's history read, ending at the first scenario's start", DefaultValueFactory = _ => 56 },
        new Option<string>("--out", "-o") { Description = "Folder for the report", DefaultValueFactory = _ => "scenario-report" });
}
