using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Ingest;

/// <summary>
/// One area's live binning: pings are pseudonymised at the door and binned by a long-lived binner, map searches are
/// summed per cell; each slot closes once the newest data are a lateness past its end and is stored whole with its
/// zone totals. Pings and searches are stored under sources of their own, so neither replaces the other's slots.
/// Posts are taken one at a time, in arrival order.
/// </summary>
public sealed class AreaIngest : IAreaFeed, IDisposable
{
    /// <summary>Source of slots binned from pings.</summary>
    public const string PingSource = "pings:live";

    /// <summary>Source of slots summed from map searches.</summary>
    public const string SearchSource = "searches:live";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ICountStore _store;
    private readonly Pseudonymiser _pseudonymiser;
    private readonly PingBinner _binner;
    private readonly PingIngest _pings;
    private readonly SumBinner _sums;
    private readonly SearchIngest _searches;
    private readonly List<CountBatch> _closed = [];
    private readonly TimeProvider _time;

    /// <summary>Prepares the binners of <paramref name="area"/>; records dated past <paramref name="future"/> are refused.</summary>
    public AreaIngest(Area area, ICountStore store, PseudonymKey key, PoiGazetteer? gazetteer, TimeSpan lateness, double maxAccuracyM, TimeProvider? time = null,
        FutureBound? future = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(area);
        Area = area;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        var batches = new SlotBatches(area);
        var gap = TimeSpan.FromMinutes(30);
        _binner = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, new PingBinnerOptions(lateness, gap, area.Settings.PanelFactor),
            c => _closed.Add(batches.Of(PingSource, c)));
        _pseudonymiser = new Pseudonymiser(key);
        _pings = new PingIngest(new DeviceDirectory(_pseudonymiser), _binner, maxAccuracyM, gap + lateness + TimeSpan.FromMinutes(area.Settings.SlotMinutes)) { Future = future };
        _sums = new SumBinner(area.Name, area.Grid.Spec.CellCount, area.NewClock(), lateness, c => _closed.Add(batches.Of(SearchSource, c)));
        _searches = new SearchIngest(area.Grid, _sums, gazetteer) { Future = future };
    }

    /// <summary>The area binned.</summary>
    public Area Area { get; }

    /// <summary>Slots closed and stored so far.</summary>
    public int SlotsStored { get; private set; }

    /// <summary>Bins pings (CSV with a header, or NDJSON) named <paramref name="name"/> in problems; stores the slots they close.</summary>
    public Task<IngestReport> PingsAsync(Stream input, string name, bool ndjson, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default) =>
        TakeAsync(log =>
        {
            if (ndjson) _pings.ReadNdjson(input, name, log);
            else _pings.ReadCsv(input, name, log);
        }, rejected, cancellationToken);

    /// <summary>Sums map-search records (CSV with a header) named <paramref name="name"/>; stores the slots they close.</summary>
    public Task<IngestReport> SearchesAsync(Stream input, string name, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default) =>
        TakeAsync(log => _searches.ReadCsv(input, name, log), rejected, cancellationToken);

    /// <summary>When the last post was taken (the host's clock, Unix ms), or null before the first.</summary>
    public long? LastPostMs { get; private set; }

    /// <summary>
    /// Moves both binners on to <paramref name="nowMs"/> (the feed has gone quiet) and stores the slots that closes, so
    /// that a quiet evening's last slots still reach forecasting and alerting.
    /// </summary>
    public async Task AdvanceAsync(long nowMs, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _binner.Advance(nowMs);
            _sums.Advance(nowMs);
            await StoreClosedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes and stores every open slot: the end of a replay, or of the host.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _pings.Complete();
            _sums.Complete();
            await StoreClosedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IngestReport> TakeAsync(Action<RejectLog> read, Action<Rejection>? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LastPostMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var report = new IngestReport();
            read(new RejectLog(report, observer: rejected));
            await StoreClosedAsync(cancellationToken).ConfigureAwait(false);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Slots closed by the last read go to the store before the post is answered, so an answered post is kept.
    private async Task StoreClosedAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in _closed.ToArray())
        {
            await _store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            _closed.Remove(batch);
            SlotsStored++;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _binner.Dispose();
        _pseudonymiser.Dispose();
        _gate.Dispose();
    }
}
