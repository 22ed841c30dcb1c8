using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Forecast.Evaluation;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Time;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch backtest</c>: every model fitted on the slots before a test window and scored from rolling origins
/// across it; writes the papers' table (Markdown), every score (CSV) and forecast-against-actual charts (PNG).
/// </summary>
internal static class BacktestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var area = new AreaOptions();
        var (history, counts, values, key, calendarFile, testDays, trainingDays, horizons, step, calibrationDays, widening, models, charts, outDir) = Options();
        var command = new Command("backtest", "Fit every model before a test window and score its forecasts across it (RMSE, MAE, MAPE, interval coverage, Winkler, Brier)");
        area.AddTo(command);
        var seed = new Option<int>("--seed") { Description = "Seed of the tree models' draw of rows (a score that moves with it is noise)", DefaultValueFactory = _ => 1 };
        foreach (var o in new Option[] { history, counts, values, key, calendarFile, testDays, trainingDays, horizons, step, calibrationDays, widening, models, seed, charts, outDir }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var clock = Stopwatch.StartNew();
            var progress = new ElapsedProgress(error, clock);
            var names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            var report = new IngestReport();
            var log = new RejectLog(report, observer: r => error.WriteLine($"warning: {r}"));
            var panels = new List<(string Name, SlotPanel Panel, double[][]? Levels)>();
            SlotCalendar calendar;
            TimeZoneInfo zone;
            string source;
            if (parse.GetValue(counts) is { } countsFile)
            {
                (zone, calendar) = CountsCalendar(parse.GetValue(area.TimeZone), parse.GetValue(calendarFile));
                var panel = LongCountsPanel.Read(countsFile, new LongCountsOptions
                {
                    Keys = List(parse.GetValue(key)),
                    Values = List(parse.GetValue(values)),
                    SlotMinutes = parse.GetValue(area.SlotMinutes),
                    TimeZone = parse.GetValue(area.TimeZone) is null ? null : zone,
                }, log, out var read);
                progress.Report($"read {countsFile}: {report.Accepted:N0} rows accepted, {report.Rejected:N0} rejected; {read.Places} places{(read.Grid ? " on a grid (neighbours from row and col)" : "")}, "
                    + $"channels {string.Join(", ", read.Channels)}, {panel.Length} slots of {panel.SlotMinutes} min, {read.MissingSlots:N0} place-slots missing (not counted as zero)");
                panels.Add((read.Channels.Count == 1 ? read.Channels[0] : string.Join(" + ", read.Channels), panel, null));
                source = countsFile;
            }
            else
            {
                var resolved = area.Resolve(parse, error, out var entry);
                var file = parse.GetValue(history) ?? entry?.HistoryPath ?? throw new ArgumentException("--history: the deployment names no history file; give one, or --counts");
                zone = resolved.TimeZone;
                var holidays = entry?.CalendarPath is { } c && File.Exists(c) ? ReadCalendar(c) : HolidayCalendar.Empty;
                calendar = new SlotCalendar(zone, holidays);
                var ap = AreaPanels.LoadWide(resolved, file, log);
                panels.Add(("cells", ap.Cells, ap.CellLevels));
                if (ap.Zones.Count > 0) panels.Add(("zones", ap.Zones, ap.ZoneLevels));
                source = file;
            }

            if (report.FileErrors.Count > 0) return 1;
            var first = panels[0].Panel;
            // Twelve hours ahead unless told: 48 fifteen-minute slots, 12 hourly ones.
            var h = parse.GetValue(horizons) ?? Math.Max(1, 720 / first.SlotMinutes);
            if (h <= 0) throw new ArgumentException("--horizons: at least 1");
            var perDay = first.SlotsPerDay;
            var testStart = first.Length - (parse.GetValue(testDays) * perDay);
            if (testStart <= 0) throw new ArgumentException($"--test-days {parse.GetValue(testDays)}: the series have {first.Length / (double)perDay:0.#} days");
            var from = parse.GetValue(trainingDays) is > 0 and var td ? Math.Max(0, testStart - (td * perDay)) : 0;
            var dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var md = new StringBuilder();
            var csv = new StringBuilder(BacktestReport.CsvHeader + "\n");
            var ci = CultureInfo.InvariantCulture;
            md.Append(ci, $"# Backtest of {source}\n\nTest window: the last {parse.GetValue(testDays)} days ({Instants.Local(first.SlotStart(testStart), zone)} to {Instants.Local(first.SlotStart(first.Length), zone)}), ")
              .Append(ci, $"origins every {parse.GetValue(step)} slots, horizons 1 to {h} ({first.SlotMinutes}-minute slots); training from {Instants.Local(first.SlotStart(from), zone)}.\n");
            foreach (var (name, whole, levels) in panels)
            {
                var panel = whole.Skip(from);
                var busiest = Enumerable.Range(0, panel.Count).OrderByDescending(s => Mean(panel.Values(s)[(testStart - from)..])).Take(parse.GetValue(charts)).ToArray();
                var modelList = names.Select(n => ModelCatalog.Create(n, h, progress, thorough: parse.GetValue(counts) is not null, seed: parse.GetValue(seed))).ToList();
                var result = Backtest.Run(modelList, panel, calendar, new BacktestOptions
                {
                    TestStart = testStart - from,
                    Horizons = h,
                    OriginStep = parse.GetValue(step),
                    CalibrationDays = parse.GetValue(calibrationDays),
                    UnprecedentedWidening = parse.GetValue(widening),
                    Levels = levels,
                    Traced = busiest,
                }, progress);
                int[] shown = [.. new[] { 1, 2, 4, 8, 16, 48 }.Where(x => x <= h)];
                int[] intervalsShown = [.. new[] { 1, 4, 16, 48 }.Where(x => x <= h)];
                md.Append(ci, $"\n## {name} ({panel.Count} series{(panel.Channels is null ? "" : ", every channel pooled")})\n\n").Append(Backtest.Markdown(result.Scores, shown, first.SlotMinutes))
                  .Append('\n').Append(BacktestReport.IntervalMarkdown(result.Scores, intervalsShown, first.SlotMinutes));
                BacktestReport.AppendCsv(csv, name, result.Scores, first.SlotMinutes);
                foreach (var (channelName, channelScores) in result.ByChannel)
                {
                    md.Append(ci, $"\n### channel {channelName}\n\n").Append(Backtest.Markdown(channelScores, shown, first.SlotMinutes))
                      .Append('\n').Append(BacktestReport.IntervalMarkdown(channelScores, intervalsShown, first.SlotMinutes));
                    BacktestReport.AppendCsv(csv, channelName, channelScores, first.SlotMinutes);
                }

                md.Append('\n').Append(BacktestReport.NotesMarkdown(result, modelList, first.SlotMinutes))
                  .Append(BacktestReport.SpecialDaysMarkdown(result, calendar, first.SlotMinutes));
                WriteTraceCharts(output, dir, name, busiest.Select(s => panel.Keys[s]), result, zone);
            }

            WriteReport(output, dir, md.ToString(), csv.ToString(), clock.Elapsed);
            return 0;
        }));
        return command;
    }

    internal static string[]? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } l ? l : null;

    private static HolidayCalendar ReadCalendar(string path)
    {
        var problems = new List<LayerProblem>();
        var calendar = CalendarReader.Read(File.ReadAllText(path), path, problems);
        if (problems.Count > 0) throw new InvalidDataException(string.Join("; ", problems.Select(p => p.ToString())));
        return calendar;
    }

    private static double Mean(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (var x in v) if (!double.IsNaN(x)) sum += x;
        return v.Length == 0 ? 0 : sum / v.Length;
    }

    // The verb's options, as the command line names them.
    private static (Option<string?> History, Option<string?> Counts, Option<string?> Values, Option<string?> Key, Option<string?> CalendarFile, Option<int> TestDays, Option<int> TrainingDays, Option<int?> Horizons, Option<int> Step, Option<int> CalibrationDays, Option<double> Widening, Option<string> Models, Option<int> Charts, Option<string> OutDir) Options() =>
    (
        new Option<string?>("--history") { Description = "Wide history file (default: the deployment's history, e.g. the sample city's eight weeks)" },
        new Option<string?>("--counts") { Description = "Instead: a long counts CSV (timestamp, a key column, value columns), e.g. bike-share or pedestrian counters" },
        new Option<string?>("--values", "--channel") { Description = "With --counts: the value columns to forecast, comma-separated, each a channel scored alone and pooled (default: the only one beside timestamp and key)" },
        new Option<string?>("--key") { Description = "With --counts: the key columns naming a place, comma-separated (default: key, series, sensor_id, station or cell; or row,col, read as a grid)" },
        new Option<string?>("--calendar") { Description = "With --counts: holidays and events JSON (as data/samples/chongqing/calendar.json)" },
        new Option<int>("--test-days") { Description = "Test window: the last N days", DefaultValueFactory = _ => 14 },
        new Option<int>("--training-days") { Description = "Training window: the N days before the test window (default: all of them)" },
        new Option<int?>("--horizons") { Description = "Slots ahead to forecast from each origin (default: 12 hours of slots)" },
        new Option<int>("--step") { Description = "Slots between origins", DefaultValueFactory = _ => 4 },
        new Option<int>("--calibration-days") { Description = "Days at the end of the training held out to calibrate the intervals", DefaultValueFactory = _ => 7 },
        new Option<double>("--unprecedented-widening") { Description = "Factor on the interval width for holiday days of a kind the history has not seen (1: off)", DefaultValueFactory = _ => 2 },
        new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ModelCatalog.Names)}", DefaultValueFactory = _ => string.Join(',', ModelCatalog.Names) },
        new Option<int>("--charts") { Description = "Charts for the N busiest cells and zones", DefaultValueFactory = _ => 4 },
        new Option<string>("--out", "-o") { Description = "Folder for backtest.md, scores.csv and the charts", DefaultValueFactory = _ => "backtest" });

    // A counts file's time zone (UTC unless named) and calendar (none unless a file is given).
    internal static (TimeZoneInfo Zone, SlotCalendar Calendar) CountsCalendar(string? timeZone, string? calendarFile)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone ?? "UTC");
        return (zone, new SlotCalendar(zone, calendarFile is { } c ? ReadCalendar(c) : HolidayCalendar.Empty));
    }

    // A chart per traced series: observed and forecast, with the bands of the tree model where it ran (the model
    // CrowdWatch forecasts with by default).
    private static void WriteTraceCharts(TextWriter output, string dir, string name, IEnumerable<string> keys, BacktestResult result, TimeZoneInfo zone)
    {
        foreach (var k in keys)
        {
            var path = Path.Combine(dir, $"{FileName(name)}-{FileName(k)}.png");
            BacktestReport.Chart(path, $"{name} {k}: observed and forecast", [.. result.Traces.Where(t => t.Key == k).OrderBy(t => t.Model == "lightgbm" ? 0 : 1)], zone);
            output.WriteLine($"wrote {path}");
        }
    }

    private static string FileName(string text) => string.Concat(text.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_'));

    // backtest.md and scores.csv in the folder, and the tables on the console.
    private static void WriteReport(TextWriter output, string dir, string markdown, string csv, TimeSpan took)
    {
        File.WriteAllText(Path.Combine(dir, "backtest.md"), markdown);
        File.WriteAllText(Path.Combine(dir, "scores.csv"), csv);
        output.Write(markdown);
        output.WriteLine($"wrote {Path.Combine(dir, "backtest.md")} and {Path.Combine(dir, "scores.csv")} in {took.TotalSeconds:0.0} s");
    }
}
