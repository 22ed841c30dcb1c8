using System.CommandLine;
using System.IO.Compression;
using System.Text.Json;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch ingest</c>: pings, search records and pre-aggregated counts in; the binned series (and movements
/// between zones) out, with a rejects file and a summary. Device ids are pseudonymised at the door with the key from
/// <c>CROWDWATCH_PSEUDONYM_KEY</c>; without a key only <c>--sample</c> runs, with a throw-away key. Files ending in
/// <c>.gz</c> are read through gzip.
/// </summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var options = new AreaOptions();
        var (pings, searches, counts, poi, outPath, toStore, sourceName, movementsPath, rejectsPath, summaryPath, maxErrors, lateness, flowGap, maxAccuracy, sample, keyFile) = Options();

        var command = new Command("ingest", "Bin pings, search heat and counts per cell and slot");
        options.AddTo(command);
        foreach (var o in new Option[] { pings, searches, counts, poi, outPath, toStore, sourceName, movementsPath, rejectsPath, summaryPath, maxErrors, lateness, flowGap, maxAccuracy, sample, keyFile })
            command.Options.Add(o);

        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var key = ResolveKey(parse.GetValue(sample), parse.GetValue(keyFile), environment);
            var outFile = parse.GetValue(outPath);
            if (Refusal(key, outFile, parse.GetValue(toStore)) is { } refusal)
            {
                error.WriteLine(refusal);
                return 2;
            }

            var area = options.Resolve(parse, error, out var entry);
            var late = TimeSpan.FromMinutes(parse.GetValue(lateness));
            var gap = TimeSpan.FromMinutes(parse.GetValue(flowGap));
            var report = new IngestReport();
            var pingFiles = parse.GetValue(pings) ?? [];
            var aggregateFiles = (parse.GetValue(searches) ?? []).Concat(parse.GetValue(counts) ?? []).ToArray();

            using var series = outFile is null ? null : new StreamWriter(outFile);
            series?.WriteLine(SeriesCsv.Header);
            using var movements = parse.GetValue(movementsPath) is { } mp ? new StreamWriter(mp) : null;
            movements?.WriteLine(SeriesCsv.MovementsHeader);
            // Nothing is written unasked: the rejects go beside the output asked for, or where --rejects says.
            var rejectsFile = parse.GetValue(rejectsPath) ?? (outFile is null ? null : outFile + ".rejects.csv");
            using var rejects = rejectsFile is null ? null : new StreamWriter(rejectsFile);
            var log = new RejectLog(report, rejects, parse.GetValue(maxErrors));
            var slots = new HashSet<long>();
            var cliStore = CliStore.From(environment);
            using var store = parse.GetValue(toStore) ? cliStore.Open() : null;
            // The area as counted goes into the store with its counts: cells, walkable layer and zones.
            store?.Areas.SaveAreaAsync(area).GetAwaiter().GetResult();
            // Pings and the pre-aggregated inputs close their slots separately, so each writes under a source of its
            // own: a slot written by one never replaces what the other wrote.
            var prefix = parse.GetValue(sourceName);
            var pingSource = SourceName("pings", prefix, pingFiles);
            var aggregateSource = SourceName("aggregates", prefix, aggregateFiles);
            var stored = 0;
            var batches = new SlotBatches(area);
            Action<SlotCounts> SinkFor(string source) => c =>
            {
                if (series is not null) SeriesCsv.Write(series, area, c);
                if (movements is not null) SeriesCsv.WriteMovements(movements, area, c);
                slots.Add(c.SlotStartMs);
                if (store is null) return;
                store.Counts.WriteAsync(batches.Of(source, c)).GetAwaiter().GetResult();
                stored++;
            };

            using var binner = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, new PingBinnerOptions(late, gap, area.Settings.PanelFactor), SinkFor(pingSource));
            using var pseudonymiser = new Pseudonymiser(key!); // Refusal above: there is a key.
            var devices = new DeviceDirectory(pseudonymiser);
            var evictAfter = gap + late + TimeSpan.FromMinutes(area.Settings.SlotMinutes);
            var pingIngest = new PingIngest(devices, binner, parse.GetValue(maxAccuracy), evictAfter) { Future = Future };
            ReadPings(pingIngest, pingFiles, log, error);
            pingIngest.Complete();

            var sums = new SumBinner(area.Name, area.Grid.Spec.CellCount, area.NewClock(), late, SinkFor(aggregateSource));
            ReadAggregates(area, sums, parse.GetValue(searches) ?? [], parse.GetValue(counts) ?? [], parse.GetValue(poi) ?? entry?.PoiPath, rejects, log);
            sums.Complete();
            var where = string.Join(" and ", new[] { outFile, store is null ? null : $"{cliStore.Description} ({stored} slot batches)" }.Where(w => w is not null));
            output.WriteLine($"{area.Name}: {slots.Count} slots written to {where}; {report}");
            if (parse.GetValue(summaryPath) is { } sp) WriteSummary(sp, area.Name, report);

            return report.FileErrors.Count > 0 || report.StoppedEarly is not null ? 1 : 0;
        }));
        return command;
    }

    // Why the verb will not run: no pseudonym key, or nowhere for the counts to go.
    private static string? Refusal(PseudonymKey? key, string? outFile, bool toStore) =>
        key is null ? $"error: refusing to ingest without a pseudonym key: set {PseudonymKey.EnvironmentVariable} or pass --key-file (at least {PseudonymKey.MinimumBytes} bytes, or base64:...), or pass --sample for sample data"
        : outFile is null && !toStore ? "error: say where the counts go: --out FILE, --store, or both"
        : null;

    // Every ping file through the binner, CSV or NDJSON by name, with progress by the bytes read.
    private static void ReadPings(PingIngest pingIngest, string[] files, RejectLog log, TextWriter error)
    {
        foreach (var file in files)
        {
            if (log.LimitReached) break;
            if (!TryOpen(file, log, out var stream)) continue;
            using (stream)
            {
                // Progress follows the bytes read from disk, which for a gzip file are not the bytes parsed.
                var gz = IsGzip(file);
                var progress = gz ? null : new ByteProgress(file, stream!.Length, error);
                using var input = Decoded(file, stream!);
                var name = gz ? file[..^3] : file;
                if (name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                    pingIngest.ReadNdjson(input, file, log, progress);
                else
                    pingIngest.ReadCsv(input, file, log, progress);
            }
        }
    }

    // The map searches (placed through the POI gazetteer) and the pre-aggregated counts, into one sum binner.
    // A file's record dated past the machine's clock would move the binners past every real record after it.
    private static readonly FutureBound Future = new(TimeProvider.System, TimeSpan.FromMinutes(10));

    private static void ReadAggregates(Area area, SumBinner sums, string[] searchFiles, string[] countFiles, string? poiFile, StreamWriter? rejects, RejectLog log)
    {
        PoiGazetteer? gazetteer = null;
        if (poiFile is not null && TryOpen(poiFile, log, out var poiStream))
            using (poiStream) gazetteer = PoiGazetteer.Load(poiStream!, poiFile, new RejectLog(new IngestReport(), rejects));
        var searchIngest = new SearchIngest(area.Grid, sums, gazetteer) { Future = Future };
        foreach (var file in searchFiles)
        {
            if (log.LimitReached) break;
            if (!TryOpen(file, log, out var stream)) continue;
            using (stream)
            using (var input = Decoded(file, stream!))
                searchIngest.ReadCsv(input, file, log);
        }

        var countIngest = new CountIngest(area.Grid, sums) { Future = Future };
        foreach (var file in countFiles)
        {
            if (log.LimitReached) break;
            if (!TryOpen(file, log, out var stream)) continue;
            using (stream)
            using (var input = Decoded(file, stream!))
                countIngest.ReadCsv(input, file, log);
        }
    }

    // The summary as JSON, for machines that run the ingest.
    private static void WriteSummary(string path, string area, IngestReport report) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            area,
            report.Rows,
            report.Accepted,
            report.OutsideGrid,
            report.Duplicates,
            report.Rejected,
            rejectedByReason = report.RejectedByReason,
            report.StoppedEarly,
            report.FileErrors,
        }, new JsonSerializerOptions { WriteIndented = true }));

    // The stored source name: the given one, or the input files' names, per kind of input.
    private static string SourceName(string kind, string? prefix, string[] files) =>
        $"{kind}:" + (prefix ?? string.Join('+', files.Select(Path.GetFileName)));

    private static PseudonymKey? ResolveKey(bool sample, string? keyFile, Func<string, string?> environment)
    {
        var configured = keyFile is null ? environment(PseudonymKey.EnvironmentVariable) : File.ReadAllText(keyFile).Trim();
        if (!string.IsNullOrEmpty(configured)) return PseudonymKey.Parse(configured);
        return sample ? PseudonymKey.Ephemeral() : null;
    }

    private static bool IsGzip(string file) => file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    // The file's text: through gzip when its name ends in .gz.
    private static Stream Decoded(string file, Stream stream) => IsGzip(file) ? new GZipStream(stream, CompressionMode.Decompress) : stream;

    private static bool TryOpen(string file, RejectLog log, out FileStream? stream)
    {
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.FileError(file, $"cannot be opened: {e.Message}");
            stream = null;
            return false;
        }
    }

    // The verb's options, as the command line names them.
    private static (Option<string[]> Pings, Option<string[]> Searches, Option<string[]> Counts, Option<string?> Poi, Option<string?> OutPath, Option<bool> ToStore, Option<string?> SourceName, Option<string?> MovementsPath, Option<string?> RejectsPath, Option<string?> SummaryPath, Option<long> MaxErrors, Option<int> Lateness, Option<int> FlowGap, Option<double> MaxAccuracy, Option<bool> Sample, Option<string?> KeyFile) Options() =>
    (
        new Option<string[]>("--pings") { Description = "Ping files: CSV, or NDJSON (.ndjson/.jsonl)", AllowMultipleArgumentsPerToken = true },
        new Option<string[]>("--searches") { Description = "Map-search CSV files", AllowMultipleArgumentsPerToken = true },
        new Option<string[]>("--counts") { Description = "Pre-aggregated count CSV files (long format)", AllowMultipleArgumentsPerToken = true },
        new Option<string?>("--poi") { Description = "POI gazetteer CSV (default: the area's, from the deployment)" },
        new Option<string?>("--out", "-o") { Description = "Binned series CSV to write" },
        new Option<bool>("--store") { Description = "Write the counts into the configured store (Store__Provider, Store__DataDirectory, ConnectionStrings__CrowdWatch)" },
        new Option<string?>("--source") { Description = "Name the counts are stored under (default: the input files' names); a re-run under the same name replaces its slots" },
        new Option<string?>("--movements") { Description = "Zone-to-zone movements CSV to write" },
        new Option<string?>("--rejects") { Description = "Rejected rows CSV (default: OUT.rejects.csv with --out; none with --store alone, where stderr counts them)" },
        new Option<string?>("--summary") { Description = "Write the summary as JSON here too" },
        new Option<long>("--max-errors") { Description = "Stop after this many rejected rows", DefaultValueFactory = _ => long.MaxValue },
        new Option<int>("--lateness") { Description = "Minutes after a slot ends that rows for it are still accepted", DefaultValueFactory = _ => 60 },
        new Option<int>("--flow-gap") { Description = "Longest gap in minutes between sightings that counts as a movement", DefaultValueFactory = _ => 30 },
        new Option<double>("--max-accuracy") { Description = "Reject pings whose accuracy radius is coarser than this (m)", DefaultValueFactory = _ => 150 },
        new Option<bool>("--sample") { Description = "Sample mode: no key needed; a random throw-away key is used" },
        new Option<string?>("--key-file") { Description = "Read the pseudonym key from this file instead of $" + PseudonymKey.EnvironmentVariable });
}
