using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Simulation;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch simulate</c>: simulated people in the deployment's area for a range of days; their pings and searches
/// go through the same ingest and binning as real files, and the binned series, the true people per cell and slot,
/// optional raw files for a time window, and a density chart per zone are written.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var options = new AreaOptions();
        var (from, days, people, seed, outDir, rawFrom, rawTo, malformed, charts, longSeries, rejectsPath) = Options();

        var command = new Command("simulate", "Simulate people, pings and searches in the area, with the true counts");
        options.AddTo(command);
        foreach (var o in new Option[] { from, days, people, seed, outDir, rawFrom, rawTo, malformed, charts, longSeries, rejectsPath }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var area = options.Resolve(parse, error, out var entry);
            var problems = new List<LayerProblem>();
            var inputs = SimulationInputs.Load(area, entry, problems);
            foreach (var p in problems) error.WriteLine($"warning: {p}");
            var (first, dayCount) = Dates(parse.GetValue(from), parse.GetValue(days));
            var simOptions = new SimulationOptions
            {
                Seed = parse.GetValue(seed),
                People = parse.GetValue(people),
                PanelFactor = area.Settings.PanelFactor,
                MalformedRate = parse.GetValue(malformed),
            };
            var (rawFromMs, rawToMs) = (LocalMs(area, parse.GetValue(rawFrom), "--raw-from"), LocalMs(area, parse.GetValue(rawTo), "--raw-to"));
            if (rawFromMs is not null && rawToMs is null) throw new InvalidDataException("--raw-from needs --raw-to");

            var dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var simulator = new CitySimulator(area, inputs.Places, inputs.Routes, inputs.Water, inputs.Calendar, inputs.Gazetteer, simOptions);

            var report = new IngestReport();
            var watched = WatchedCells.Of(area);
            using var history = GzipText(Path.Combine(dir, "history.csv.gz"));
            WideSeries.WriteHeader(history, watched);
            using var series = parse.GetValue(longSeries) ? GzipText(Path.Combine(dir, "series.csv.gz")) : null;
            series?.WriteLine(SeriesCsv.Header);
            using var rejects = parse.GetValue(rejectsPath) is { } rp ? new StreamWriter(rp, false, new UTF8Encoding(false)) { NewLine = "\n" } : null;
            var log = rejects is null ? new RejectLog(report) : new RejectLog(report, rejects);
            void Sink(SlotCounts c) => WriteSlot(c, area, watched, history, series);

            using var binner = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, PingBinnerOptions.Default with { PanelFactor = area.Settings.PanelFactor }, Sink);
            using var pseudonymiser = new Pseudonymiser(PseudonymKey.Ephemeral());
            var pingIngest = new PingIngest(new DeviceDirectory(pseudonymiser), binner, 150, TimeSpan.FromHours(2));
            var sums = new SumBinner(area.Name, area.Grid.Spec.CellCount, area.NewClock(), TimeSpan.FromHours(1), Sink);
            var searchIngest = new SearchIngest(area.Grid, sums, inputs.Gazetteer);

            var slotStarts = new List<DateTime>();
            var zoneDensity = Enumerable.Range(0, area.Zones.Zones.Count).Select(_ => new List<double>()).ToArray();
            var zoneWalkable = Enumerable.Range(0, area.Zones.Zones.Count).Select(z => area.Zones.ZoneWalkableM2(z, area.WalkableM2)).ToArray();
            var peopleByCell = new double[area.Grid.Spec.CellCount];
            long pings = 0, searches = 0, malformedRows = 0, present = 0;
            var clock = Stopwatch.StartNew();
            using var rawPings = rawFromMs is null ? null : new GZipStream(File.Create(Path.Combine(dir, "pings.csv.gz")), CompressionLevel.SmallestSize);
            using var rawSearches = rawFromMs is null ? null : new GZipStream(File.Create(Path.Combine(dir, "searches.csv.gz")), CompressionLevel.SmallestSize);
            var rawStarted = false;
            for (var d = 0; d < dayCount; d++)
            {
                var date = first.AddDays(d);
                var day = simulator.Simulate(date);
                present += day.PeoplePresent;
                var (p, q, bad) = Ingest(day, simOptions, pingIngest, searchIngest, log);
                (pings, searches, malformedRows) = (pings + p, searches + q, malformedRows + bad);
                if (rawFromMs is { } rf && rawToMs is { } rt && rf < day.DayStartUtcMs + 86_400_000 && rt > day.DayStartUtcMs)
                    rawStarted = AppendRaw(day, simOptions, rf, rt, rawPings!, rawSearches!, rawStarted);

                WriteTruth(history, watched, area, day, zoneWalkable, zoneDensity, slotStarts, peopleByCell);
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"simulated {date:yyyy-MM-dd} ({inputs.Calendar.KindOf(date)}): {day.PeoplePresent:N0} people, {day.PingMs.Length:N0} pings, {day.SearchMs.Length:N0} searches; {d + 1}/{dayCount} days, {clock.Elapsed.TotalSeconds:0.0} s"));
            }

            pingIngest.Complete();
            sums.Complete();
            if (parse.GetValue(charts)) WriteZoneCharts(dir, area, $"{first:yyyy-MM-dd} + {dayCount} days", slotStarts, zoneDensity);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{area.Name}: {dayCount} days from {first:yyyy-MM-dd}, {present:N0} person-days, {pings:N0} ping rows and {searches:N0} search rows ({malformedRows:N0} malformed), in {clock.Elapsed.TotalSeconds:0.0} s; ingest: {report}"));
            return 0;
        }));
        return command;
    }

    // Truth rows in the history (channel "truth": people present at the slot's middle), and each zone's density.
    private static void WriteTruth(StreamWriter history, int[] watched, Geo.Areas.Area area, SimulatedDay day, double[] zoneWalkable, List<double>[] zoneDensity, List<DateTime> slotStarts, double[] peopleByCell)
    {
        for (var s = 0; s < day.Slots; s++)
        {
            var startMs = day.DayStartUtcMs + (s * day.SlotMinutes * 60_000L);
            var start = DateTimeOffset.FromUnixTimeMilliseconds(startMs).ToOffset(area.TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(startMs)));
            slotStarts.Add(start.DateTime);
            var truth = day.Truth.AsSpan(s * day.Cells, day.Cells);
            for (var cell = 0; cell < truth.Length; cell++) peopleByCell[cell] = truth[cell];
            WideSeries.WriteRow(history, area, startMs, "truth", watched, i => peopleByCell[i]);
            for (var z = 0; z < zoneDensity.Length; z++)
            {
                var walkable = zoneWalkable[z];
                zoneDensity[z].Add(walkable > 0 ? area.Zones.ZonePeople(z, peopleByCell) / walkable : 0);
            }
        }
    }

    // A closed slot into the history (devices, flows, searches of the watched cells) and the long series, if asked.
    private static void WriteSlot(SlotCounts c, Geo.Areas.Area area, int[] watched, StreamWriter history, StreamWriter? series)
    {
        if (series is not null) SeriesCsv.Write(series, area, c);
        if (c.Devices is { } devices) WideSeries.WriteRow(history, area, c.SlotStartMs, "devices", watched, i => devices[i]);
        if (c.Inflow is { } inflow) WideSeries.WriteRow(history, area, c.SlotStartMs, "inflow", watched, i => inflow[i]);
        if (c.Outflow is { } outflow) WideSeries.WriteRow(history, area, c.SlotStartMs, "outflow", watched, i => outflow[i]);
        if (c.Search is { } search) WideSeries.WriteRow(history, area, c.SlotStartMs, "search", watched, i => search[i]);
    }

    // A simulated day's pings and searches through the real ingest, as CSV formatted as it is read: rows and malformed rows.
    private static (long Pings, long Searches, long Malformed) Ingest(SimulatedDay day, SimulationOptions options, PingIngest pingIngest, SearchIngest searchIngest, RejectLog log)
    {
        var pingCsv = SimulatedCsv.Pings(day, options.Seed, options.MalformedRate);
        pingIngest.ReadCsv(pingCsv, $"simulated pings {day.Date:yyyy-MM-dd}", log);
        var searchCsv = SimulatedCsv.Searches(day, options.Seed, options.MalformedRate);
        searchIngest.ReadCsv(searchCsv, $"simulated searches {day.Date:yyyy-MM-dd}", log);
        return (pingCsv.Rows, searchCsv.Rows, pingCsv.Malformed + searchCsv.Malformed);
    }

    // The first date and the number of days, checked.
    private static (DateOnly First, int Days) Dates(string? from, int days)
    {
        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            throw new InvalidDataException($"--from '{from}': expected a date, yyyy-MM-dd");
        if (days < 1) throw new InvalidDataException("--days must be at least 1");
        return (first, days);
    }

    // The day's raw rows inside [fromMs, toMs), appended to the raw files (their header once); true from then on.
    private static bool AppendRaw(SimulatedDay day, SimulationOptions options, long fromMs, long toMs, Stream pings, Stream searches, bool started)
    {
        Append(SimulatedCsv.Pings(day, options.Seed, options.MalformedRate, fromMs, toMs), pings, skipHeader: started);
        Append(SimulatedCsv.Searches(day, options.Seed, options.MalformedRate, fromMs, toMs), searches, skipHeader: started);
        return true;
    }

    // A true-density chart (PNG) per zone.
    private static void WriteZoneCharts(string dir, Geo.Areas.Area area, string period, List<DateTime> slotStarts, List<double>[] zoneDensity)
    {
        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var zone = area.Zones.Zones[z];
            ZoneChartPng.Write(Path.Combine(dir, $"zone-{zone.Name}.png"), $"{zone.Name}: true density, {period}", slotStarts, zoneDensity[z]);
        }
    }

    private static StreamWriter GzipText(string path) =>
        new(new GZipStream(File.Create(path), CompressionLevel.SmallestSize), new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

    private static void Append(Stream csv, Stream target, bool skipHeader)
    {
        if (skipHeader)
        {
            // The header is the first line; drop it byte by byte (it is short).
            int b;
            while ((b = csv.ReadByte()) >= 0 && b != '\n')
            {
            }
        }

        csv.CopyTo(target);
    }

    private static long? LocalMs(Geo.Areas.Area area, string? text, string option)
    {
        if (text is null) return null;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            throw new InvalidDataException($"{option} '{text}': expected a local time, yyyy-MM-ddTHH:mm");
        return new DateTimeOffset(local, area.TimeZone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    // The verb's options, as the command line names them.
    private static (Option<string> From, Option<int> Days, Option<int> People, Option<int> Seed, Option<string> OutDir, Option<string?> RawFrom, Option<string?> RawTo, Option<double> Malformed, Option<bool> Charts, Option<bool> LongSeries, Option<string?> RejectsPath) Options() =>
    (
        new Option<string>("--from") { Description = "First local date, yyyy-MM-dd", DefaultValueFactory = _ => "2025-10-01" },
        new Option<int>("--days") { Description = "Number of days", DefaultValueFactory = _ => 1 },
        new Option<int>("--people") { Description = "People in the area on an ordinary working day", DefaultValueFactory = _ => 200_000 },
        new Option<int>("--seed") { Description = "Seed: the same seed gives byte-identical output", DefaultValueFactory = _ => 1 },
        new Option<string>("--out", "-o") { Description = "Folder to write into", Required = true },
        new Option<string?>("--raw-from") { Description = "Write raw pings and searches from this local time, yyyy-MM-ddTHH:mm" },
        new Option<string?>("--raw-to") { Description = "... up to this local time" },
        new Option<double>("--malformed-rate") { Description = "Share of rows written malformed", DefaultValueFactory = _ => 0.001 },
        new Option<bool>("--charts") { Description = "Write a density chart (PNG) per zone", DefaultValueFactory = _ => true },
        new Option<bool>("--series") { Description = "Also write the long series of every cell (series.csv.gz; large)" },
        new Option<string?>("--rejects") { Description = "Write the rows the ingest rejected (the malformed ones) to this CSV" });
}
