using System.Text.Json;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Access;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Ingest;

/// <summary>
/// The host's live binners, one per area (or, on a node of several, the feeds into the shared ingest log), shared by the ingest endpoints, the replay and the drop folder. In the
/// background it closes the slots of a feed gone quiet (<see cref="IngestOptions.IdleCloseMinutes"/>) and takes the
/// files put in <see cref="IngestOptions.DropFolder"/>: each is ingested, then moved to <c>done/</c> with a summary
/// beside it (or to <c>failed/</c> when it cannot be read).
/// </summary>
public sealed partial class LiveIngest : BackgroundService
{
    private readonly Dictionary<string, IAreaFeed> _areas = new(StringComparer.Ordinal);
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly IAuditLog _audit;
    private readonly ILogger<LiveIngest> _log;

    /// <summary>Prepares a binner per area of the catalogue.</summary>
    public LiveIngest(AreaCatalog catalog, ICountStore store, IAuditLog audit, IOptions<IngestOptions> options, TimeProvider time, ILogger<LiveIngest> log,
        IOptions<ClusterOptions>? cluster = null, Cluster.IngestLog? ingestLog = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        (_options, _time, _audit, _log) = (options.Value, time, audit, log);
        var configured = _options.PseudonymKey is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable(PseudonymKey.EnvironmentVariable);
        var key = string.IsNullOrEmpty(configured) ? PseudonymKey.Ephemeral() : PseudonymKey.Parse(configured);
        var shared = cluster?.Value is { Shared: true } c ? c : null;
        // Several nodes must give a device one pseudonym, whichever node its pings reach.
        if (shared is not null && key.IsEphemeral)
            throw new InvalidOperationException("Cluster:Redis is set: every node must pseudonymise with the same key; set Ingest:PseudonymKey or CROWDWATCH_PSEUDONYM_KEY on every node");
        if (key.IsEphemeral) ThrowAwayKey(log);
        var future = new FutureBound(time, TimeSpan.FromMinutes(_options.FutureToleranceMinutes));
        foreach (var area in catalog.Areas.Values)
        {
            PoiGazetteer? gazetteer = null;
            if (catalog.Entries.TryGetValue(area.Name, out var entry) && entry.PoiPath is { } poi && File.Exists(poi))
            {
                using var stream = File.OpenRead(poi);
                gazetteer = PoiGazetteer.Load(stream, poi, new RejectLog(new IngestReport()));
            }

            _areas[area.Name] = shared is not null && ingestLog is not null
                ? new Cluster.LoggedAreaFeed(area, ingestLog, key, CellBlocks.Of(area.Grid.Spec, shared.BlockCells), gazetteer, _options.MaxAccuracyM, future)
                : new AreaIngest(area, store, key, gazetteer, TimeSpan.FromMinutes(_options.LatenessMinutes), _options.MaxAccuracyM, time, future);
        }

        DropArea = _options.DropArea ?? catalog.Areas.Keys.FirstOrDefault();
    }

    /// <summary>The area the drop folder's files go to.</summary>
    public string? DropArea { get; }

    /// <summary>The binner of <paramref name="area"/>, if it is served.</summary>
    public IAreaFeed? For(string area) => _areas.GetValueOrDefault(area);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleMs = (long)(_options.IdleCloseMinutes * 60_000);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var a in _areas.Values.OfType<AreaIngest>())
                    if (a.LastPostMs is { } last && now - last >= idleMs) await a.AdvanceAsync(now, stoppingToken).ConfigureAwait(false);
                if (_options.DropFolder is { Length: > 0 } folder && DropArea is { } area && Directory.Exists(folder)) await TakeDropsAsync(folder, _areas[area], stoppingToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Data.Common.DbException or Cluster.IngestLogUnavailableException)
            {
                Failed(_log, e);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }

        foreach (var a in _areas.Values) await a.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Files are taken in name order; one still being written is left for the next look (its size must hold still).
    private async Task TakeDropsAsync(string folder, IAreaFeed area, CancellationToken cancellationToken)
    {
        foreach (var path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)) continue;
            var size = new FileInfo(path).Length;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(path) || new FileInfo(path).Length != size) continue;
            var plain = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
            var searches = plain.Contains("search", StringComparison.OrdinalIgnoreCase);
            var ndjson = plain.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || plain.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
            var problems = new List<string>();
            IngestReport report;
            try
            {
                await using (var input = InputFile.OpenRead(path))
                {
                    void Rejected(Rejection r)
                    {
                        if (problems.Count < 100) problems.Add(r.ToString());
                    }

                    report = searches
                        ? await area.SearchesAsync(input, name, Rejected, cancellationToken).ConfigureAwait(false)
                        : await area.PingsAsync(input, name, ndjson, Rejected, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Move(folder, "failed", path);
                WriteWhole(Path.Combine(folder, "failed", name + ".summary.json"), JsonSerializer.Serialize(new { file = name, error = e.Message }));
                DropFailed(_log, name, e.Message);
                continue;
            }

            // Audited first: a file in done/ with its summary has been recorded.
            await _audit.AppendAsync(new AuditEntry(_time.GetUtcNow().ToUnixTimeMilliseconds(), "drop-folder", searches ? "ingest.searches" : "ingest.pings",
                $"area:{area.Area.Name}", $"{name}: {report.Accepted} records accepted, {report.Rejected} rejected"), cancellationToken).ConfigureAwait(false);
            Move(folder, "done", path);
            WriteWhole(Path.Combine(folder, "done", name + ".summary.json"), JsonSerializer.Serialize(new
            {
                file = name, kind = searches ? "searches" : "pings", report.Rows, report.Accepted, report.Rejected, report.OutsideGrid, report.Duplicates,
                rejectedByReason = report.RejectedByReason, fileErrors = report.FileErrors, problems,
            }, new JsonSerializerOptions { WriteIndented = true }));
            DropTaken(_log, name, report.Accepted, report.Rejected);
        }
    }

    // A summary appears whole or not at all, for whoever watches the folder.
    private static void WriteWhole(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static void Move(string folder, string to, string path)
    {
        Directory.CreateDirectory(Path.Combine(folder, to));
        File.Move(path, Path.Combine(folder, to, Path.GetFileName(path)), overwrite: true);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var a in _areas.Values.OfType<IDisposable>()) a.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live ingest pseudonymises device ids with a throw-away key (set Ingest:PseudonymKey or CROWDWATCH_PSEUDONYM_KEY to link devices across restarts)")]
    private static partial void ThrowAwayKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drop folder: {File} taken, {Accepted} records accepted, {Rejected} rejected")]
    private static partial void DropTaken(ILogger logger, string file, long accepted, long rejected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drop folder: {File} could not be read ({Reason}); moved to failed/")]
    private static partial void DropFailed(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live ingest's background work failed; trying again")]
    private static partial void Failed(ILogger logger, Exception exception);
}
