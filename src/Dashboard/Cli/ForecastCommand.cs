using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch forecast</c>: fits the engine on an area's history (the store's, or a wide history file), forecasts
/// every cell and zone for the next slots with intervals and warning-level probabilities, and saves the run in the
/// store; optionally charts the zones as PNG.
/// </summary>
internal static class ForecastCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var area = new AreaOptions();
        var history = new Option<string?>("--history") { Description = "Forecast from a wide history file (default: the store's counts; the sample city: its history file)" };
        var at = new Option<string?>("--at") { Description = "Origin: forecast from the slot containing this instant (default: the last slot with data)" };
        var model = new Option<string>("--model") { Description = $"One of {string.Join(", ", ModelCatalog.Names)}", DefaultValueFactory = _ => "lightgbm" };
        var horizons = new Option<int>("--horizons") { Description = "Slots ahead", DefaultValueFactory = _ => 48 };
        var days = new Option<int>("--history-days") { Description = "Days of the store's history fitted on (a --history file is used whole)", DefaultValueFactory = _ => 56 };
        var charts = new Option<string?>("--charts") { Description = "Folder for a PNG chart per zone" };
        var counts = new Option<string?>("--counts") { Description = "Instead of an area: a long counts CSV (timestamp, key columns, value columns); prints every place's next slots with intervals and writes them as CSV" };
        var key = new Option<string?>("--key") { Description = "With --counts: the key columns naming a place, comma-separated (default: key, sensor_id ...; or row,col)" };
        var values = new Option<string?>("--values") { Description = "With --counts: the value columns to forecast, comma-separated (default: the only one)" };
        var calendarFile = new Option<string?>("--calendar") { Description = "With --counts: holidays and events JSON; an event's zone is a place's key, or * for every place" };
        var outFile = new Option<string>("--out", "-o") { Description = "With --counts: the CSV written", DefaultValueFactory = _ => "forecast.csv" };
        var command = new Command("forecast", "Forecast every cell and zone for the next slots (intervals, warning-level probabilities) and save the run in the store");
        area.AddTo(command);
        foreach (var o in new Option[] { history, at, model, horizons, days, charts, counts, key, values, calendarFile, outFile }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var clock = Stopwatch.StartNew();
            var progress = new ElapsedProgress(error, clock);
            if (parse.GetValue(counts) is { } countsFile)
            {
                return ForecastCounts(output, error, progress, countsFile, new LongCountsOptions
                {
                    Keys = BacktestCommand.List(parse.GetValue(key)),
                    Values = BacktestCommand.List(parse.GetValue(values)),
                    SlotMinutes = parse.GetValue(area.SlotMinutes),
                }, parse.GetValue(area.TimeZone), parse.GetValue(calendarFile), parse.GetValue(at), parse.GetValue(model)!, parse.GetValue(horizons), parse.GetValue(outFile)!, clock);
            }

            var resolved = area.Resolve(parse, error, out var entry);
            var calendar = AreaOptions.Calendar(resolved, entry, error);
            var cliStore = CliStore.From(environment);
            using var store = cliStore.Open();
            long? origin = null;
            if (parse.GetValue(at) is { } text)
                origin = Instants.TryParse(text, out var ms) ? resolved.NewClock().SlotStartMs(ms) : throw new InvalidDataException($"--at '{text}': expected {Instants.Expected}");
            var slotMs = resolved.Settings.SlotMinutes * 60_000L;
            var span = parse.GetValue(days) * 86_400_000L;
            AreaPanels panels;
            string source;
            if (parse.GetValue(history) is { } file)
            {
                var log = new RejectLog(new IngestReport(), observer: r => error.WriteLine($"warning: {r}"));
                panels = AreaPanels.LoadWide(resolved, file, log);
                if (log.Report.FileErrors.Count > 0) return 1;
                source = file;
            }
            else
            {
                var to = origin is { } o ? o + slotMs : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                panels = AreaPanels.LoadAsync(store.Counts, resolved, to - span, to).GetAwaiter().GetResult()
                    ?? throw new InvalidDataException($"{cliStore.Description} holds no counts of area '{resolved.Name}' in the {parse.GetValue(days)} days before {Instants.Local(to, resolved.TimeZone)}; ingest some (crowdwatch ingest --store) or give --history");
                source = cliStore.Description;
            }

            if (origin is { } cut)
            {
                var n = (int)((cut - panels.Cells.StartMs) / slotMs) + 1;
                if (n <= 0 || n > panels.Cells.Length) throw new InvalidDataException($"--at: {Instants.Local(cut, resolved.TimeZone)} is outside the history ({Instants.Local(panels.Cells.StartMs, resolved.TimeZone)} to {Instants.Local(panels.Cells.SlotStart(panels.Cells.Length - 1), resolved.TimeZone)})");
                panels = panels with { Cells = panels.Cells.Take(n), Zones = panels.Zones.Take(n) };
            }

            var forecaster = new AreaForecaster(resolved.Name, parse.GetValue(model)!, parse.GetValue(horizons));
            forecaster.Fit(panels, calendar, DateTimeOffset.UtcNow, progress);
            var run = forecaster.Forecast(panels, calendar, DateTimeOffset.UtcNow);
            store.Forecasts.SaveRunAsync(run).GetAwaiter().GetResult();
            output.WriteLine($"run {run.Id}: {run.Model} from {source}, origin {Instants.Local(run.OriginSlotMs, resolved.TimeZone)}, {run.Values.Count:N0} forecasts "
                + $"({panels.Cells.Count} cells, {panels.Zones.Count} zones x {parse.GetValue(horizons)} slots) saved to {cliStore.Description}");
            WriteZoneTable(output, run, resolved.TimeZone);
            if (parse.GetValue(charts) is { } dir) WriteCharts(output, dir, panels, run, resolved.TimeZone);

            output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return command;
    }

    // A counts file's places: fitted on all of it (or up to --at), every place's next slots printed and written as CSV.
    private static int ForecastCounts(TextWriter output, TextWriter error, IProgress<string> progress, string file, LongCountsOptions options, string? timeZone,
        string? calendarFile, string? at, string modelName, int horizons, string outFile, Stopwatch clock)
    {
        if (horizons <= 0) throw new ArgumentException("--horizons: at least 1");
        var (zone, calendar) = BacktestCommand.CountsCalendar(timeZone, calendarFile);
        var log = new RejectLog(new IngestReport(), observer: r => error.WriteLine($"warning: {r}"));
        var panel = LongCountsPanel.Read(file, options with { TimeZone = timeZone is null ? null : zone }, log);
        if (log.Report.FileErrors.Count > 0) return 1;
        progress.Report($"read {file}: {log.Report.Accepted:N0} rows accepted, {log.Report.Rejected:N0} rejected; {panel.Count} series of {panel.Length} slots");
        if (at is not null)
        {
            if (!Instants.TryParse(at, out var ms)) throw new InvalidDataException($"--at '{at}': expected {Instants.Expected}");
            var n = (int)Math.Floor((ms - panel.StartMs) / (double)panel.SlotMs);
            if (n <= 0 || n > panel.Length) throw new InvalidDataException($"--at: {at} is outside the counts ({Instants.Local(panel.StartMs, zone)} to {Instants.Local(panel.SlotStart(panel.Length), zone)})");
            panel = panel.Take(n);
        }

        var engine = new Forecast.Engine.ForecastEngine(ModelCatalog.Create(modelName, horizons, progress, thorough: true), new Forecast.Engine.ForecastEngineOptions { Horizons = horizons });
        engine.Fit(panel, calendar, progress);
        var f = engine.Forecast(panel, calendar);
        var ci = CultureInfo.InvariantCulture;
        var csv = new System.Text.StringBuilder("place,slot_start,horizon,mean,low80,high80,low90,high90,low95,high95\n");
        output.WriteLine($"{modelName} from {Instants.Local(panel.SlotStart(panel.Length), zone)}: mean [80% interval] per slot");
        for (var s = 0; s < panel.Count; s++)
        {
            var line = new System.Text.StringBuilder(panel.Keys[s].PadRight(16));
            for (var h = 0; h < horizons; h++)
            {
                var start = Instants.Local(panel.SlotStart(panel.Length + h), zone);
                csv.Append(ci, $"{CsvText.Quote(panel.Keys[s])},{start},{h + 1},{f.Mean[s][h]:0.###},{f.Low80[s][h]:0.###},{f.High80[s][h]:0.###},{f.Low90[s][h]:0.###},{f.High90[s][h]:0.###},{f.Low95[s][h]:0.###},{f.High95[s][h]:0.###}\n");
                if (h < 8) line.Append(ci, $"  {start[11..16]} {f.Mean[s][h]:0} [{f.Low80[s][h]:0}-{f.High80[s][h]:0}]");
            }

            output.WriteLine(line.ToString());
        }

        File.WriteAllText(outFile, csv.ToString());
        output.WriteLine($"wrote {outFile} ({panel.Count * horizons:N0} forecasts) in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    // Each zone's forecast peak, when, its 80% interval and the chance of each level within the horizon, worst first.
    private static void WriteZoneTable(TextWriter output, ForecastRun run, TimeZoneInfo zone)
    {
        output.WriteLine("zone                  peak (people)  at      80% interval      P(Blue) P(Yellow) P(Orange) P(Red) within the horizon");
        var ci = CultureInfo.InvariantCulture;
        foreach (var g in run.Values.Where(v => v.IsZone).GroupBy(v => v.Place).OrderByDescending(g => g.Max(v => v.Mean)))
        {
            var peak = g.MaxBy(v => v.Mean)!;
            var within = Enumerable.Range(0, peak.Exceedance.Count).Select(k => g.Max(v => v.Exceedance[k])).ToArray();
            output.WriteLine(string.Create(ci, $"{g.Key,-20} {peak.Mean,14:0}  {Instants.Local(peak.TargetSlotMs, zone)[11..16]}  {peak.Low80,7:0} - {peak.High80,-7:0}  ")
                + string.Join(' ', within.Select(p => p.ToString("0.00", ci).PadLeft(7))));
        }
    }

    // A PNG per zone: its last day observed and the run's forecast after it, with the level lines.
    private static void WriteCharts(TextWriter output, string dir, AreaPanels panels, ForecastRun run, TimeZoneInfo zone)
    {
        Directory.CreateDirectory(dir);
        var zones = panels.Zones;
        var day = Math.Min(zones.Length, zones.SlotsPerDay);
        for (var z = 0; z < zones.Count; z++)
        {
            var name = zones.Keys[z];
            var path = Path.Combine(dir, $"forecast-{name}.png");
            var past = Enumerable.Range(zones.Length - day, day).ToArray();
            ForecastChartPng.Write(path, $"{name}: observed and forecast from {Instants.Local(run.OriginSlotMs, zone)}", zone,
                [.. past.Select(zones.SlotStart)], [.. past.Select(i => zones.Values(z)[i])],
                [.. run.Values.Where(v => v.IsZone && v.Place == name).OrderBy(v => v.Horizon)], panels.ZoneLevels[z]);
            output.WriteLine($"wrote {path}");
        }
    }
}
