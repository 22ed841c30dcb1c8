using System.Diagnostics;
using System.Threading.Channels;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Access;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// The live warning chain: a watcher notices each slot whose counts are in (a later slot has data, or the slot ended
/// a grace period ago) and queues it on a bounded channel; the judge takes slots in order, evaluates every zone of the
/// area, records each alert change (audit, event, CAP, notifications) and wakes the outbox. Open alerts are read back
/// from the store at start, so a restart neither forgets nor repeats them. With several nodes, a node judges only the
/// areas it owns (<see cref="IAreaOwnership"/>): on taking one it reads the open alerts back and carries on from the
/// slot after the last one judged; the store refuses any event that contradicts it (another node wrote first), and the
/// judge then reads back and judges the slot again. Every node reads the open alerts of the store each poll, so that
/// the list and an operator's acknowledgement work on any node.
/// </summary>
public sealed partial class AlertService : BackgroundService
{
    private readonly AreaCatalog _catalog;
    private readonly IAlertStore _alerts;
    private readonly AlertingOptions _options;
    private readonly TimeProvider _time;
    private readonly OutboxService _outbox;
    private readonly AlertMetrics _metrics;
    private readonly ILogger<AlertService> _log;
    private readonly Dictionary<string, AreaAlerts> _areas = new(StringComparer.Ordinal);
    private readonly Channel<SlotReady> _ready = Channel.CreateBounded<SlotReady>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IIngestGate _ingest;
    private readonly IForecastStore _forecasts;
    private readonly bool _forecastsEnabled;
    private readonly IAreaOwnership _ownership;

    /// <summary>The service over the catalog's areas.</summary>
    public AlertService(AreaCatalog catalog, ICountStore counts, IForecastStore forecasts, IAlertStore alerts, IAuditLog audit, IOptions<AlertingOptions> options,
        IOptions<CrowdWatchOptions> host, OutboxService outbox, AlertMetrics metrics, RecipientBook recipients, TimeProvider time, ILogger<AlertService> log, IIngestGate ingest,
        IAreaOwnership ownership, IOptions<Forecasting.ForecastOptions>? forecasting = null)
    {
        _ownership = ownership;
        _ingest = ingest;
        _forecasts = forecasts;
        _forecastsEnabled = forecasting?.Value.Enabled ?? false;
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        (_catalog, _alerts, _options, _time, _outbox, _metrics, _log) = (catalog, alerts, options.Value, time, outbox, metrics, log);
        var playbook = Playbook = LoadPlaybook(_options, host.Value.Deployment, log);
        foreach (var area in catalog.Areas.Values)
        {
            var journal = new AlertJournal(alerts, audit, playbook, _options.Cap, () => recipients.Recipients, area.TimeZone, _options.Policy.ExpireMinutes, _options.Sms.Template());
            _areas[area.Name] = new AreaAlerts(area, counts, forecasts, journal, _options.Policy, _options.Triggers);
        }

        catalog.AreaReplaced += Retune;
    }

    /// <summary>The response playbooks in use.</summary>
    public Playbook Playbook { get; }

    // An admin's edit of a zone: the next slot is judged by the new capacity and thresholds.
    private void Retune(Geo.Areas.Area area)
    {
        if (!_areas.TryGetValue(area.Name, out var alerts)) return;
        // Not while a slot is being judged.
        _gate.Wait();
        try
        {
            alerts.Retune(area);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Raised after each alert change is recorded (for the dashboard's live feed).</summary>
    public event Action<AlertChange>? Changed;

    /// <summary>Whether alerting runs.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The last slot judged for <paramref name="area"/> (start, Unix ms), or null before the first.</summary>
    public long? JudgedThrough(string area) => _areas.TryGetValue(area, out var a) ? a.LastSlotMs : null;

    /// <summary>The end of the newest slot the watcher has seen in the store for <paramref name="area"/> (Unix ms), judged or not.</summary>
    public long? DataSeenUntil(string area) => _areas.TryGetValue(area, out var a) ? a.DataUntilMs : null;

    /// <summary>Slots judged since start.</summary>
    public int SlotsJudged { get; private set; }

    /// <summary>The open alerts of every area, most severe first.</summary>
    public IReadOnlyList<Alert> Open => [.. Alert.MostDangerousFirst(_areas.Values.SelectMany(a => a.Book.Open))];

    /// <summary>The risk points of an area's last judged slot; null for an unknown area or before its first slot.</summary>
    public async Task<(long SlotMs, IReadOnlyList<RiskPoint> Points)?> RiskPointsAsync(string area, CancellationToken cancellationToken = default) =>
        _areas.TryGetValue(area, out var a) ? await a.RiskPointsAsync(cancellationToken).ConfigureAwait(false) : null;

    /// <summary>An operator acknowledges (or resolves) alert <paramref name="id"/>: recorded, then announced.</summary>
    public async Task<AlertChange> ActAsync(Guid id, string actor, string? note, bool resolve, CancellationToken cancellationToken = default)
    {
        var area = _areas.Values.FirstOrDefault(a => a.Book.Open.Any(x => x.Id == id)) ?? throw new KeyNotFoundException($"no open alert {id}");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Shared: the store holds the latest state, whichever node recorded it; a race with the judge is retried once.
            if (_ownership.Shared) await area.RestoreAsync(_alerts, cancellationToken).ConfigureAwait(false);
            AlertChange change;
            try
            {
                change = await area.ActAsync(id, actor, note, resolve, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            }
            catch (AlertConflictException)
            {
                await area.RestoreAsync(_alerts, cancellationToken).ConfigureAwait(false);
                change = await area.ActAsync(id, actor, note, resolve, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            }

            Announce([change]);
            return change;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        foreach (var a in _areas.Values) await a.RestoreAsync(_alerts, stoppingToken).ConfigureAwait(false);
        var watch = WatchAsync(stoppingToken);
        try
        {
            await foreach (var ready in _ready.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await JudgeAsync(ready, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(_log, e, ready.Area, DateTimeOffset.FromUnixTimeMilliseconds(ready.SlotMs));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await watch.ConfigureAwait(false);
    }

    private async Task JudgeAsync(SlotReady ready, CancellationToken cancellationToken)
    {
        var area = _areas[ready.Area];
        // Queued under an earlier term (the area changed hands since): the owner now queues its own.
        if (ready.Term != area.Term || _ownership.TermOf(ready.Area) != ready.Term) return;
        if (area.LastSlotMs is { } last && ready.SlotMs <= last) return;
        // A paced replay judges each slot with the forecast issued from it, whatever the machine's load: the same
        // evening gives the same warnings. Live, the judge takes the newest forecast there is.
        if (_ingest.Paced) await WaitForecastAsync(ready, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AlertChange> changes;
        try
        {
            changes = await EvaluateAsync(area, ready, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        // A node that lost the area meanwhile stops here: the store took only what did not contradict the new owner.
        if (!await _ownership.MarkJudgedAsync(ready.Area, ready.SlotMs, cancellationToken).ConfigureAwait(false)) area.Term = 0;
        SlotsJudged++;
        _metrics.Slot(ready.Area, clock.Elapsed.TotalMilliseconds);
        Announce(changes);
    }

    // The store refused a change (another node or an operator elsewhere wrote first): read the open alerts back and
    // judge the slot again from them; a second refusal fails the slot.
    private async Task<IReadOnlyList<AlertChange>> EvaluateAsync(AreaAlerts area, SlotReady ready, CancellationToken cancellationToken)
    {
        try
        {
            return await area.EvaluateAsync(ready.SlotMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
        catch (AlertConflictException e)
        {
            Conflict(_log, ready.Area, DateTimeOffset.FromUnixTimeMilliseconds(ready.SlotMs), e.Message);
            await area.RestoreAsync(_alerts, cancellationToken).ConfigureAwait(false);
            return await area.EvaluateAsync(ready.SlotMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForecastAsync(SlotReady ready, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < _ingest.PaceTimeout)
        {
            if (_ingest.ReadyThroughMs < ready.SlotMs)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!_forecastsEnabled) return;
            var run = await _forecasts.LatestRunAsync(ready.Area, cancellationToken).ConfigureAwait(false);
            // No run at all yet: the forecasts join when they come (the replay waited for the first before it started).
            if (run is null || run.OriginSlotMs >= ready.SlotMs) return;
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Announce(IReadOnlyList<AlertChange> changes)
    {
        if (changes.Count == 0) return;
        _outbox.Nudge();
        foreach (var c in changes)
        {
            _metrics.Event(c);
            Recorded(_log, c.Alert.Area, c.Alert.Place.Id, c.Kind.ToString().ToLowerInvariant(), c.Alert.Level.ToString(), c.Note ?? "");
            Changed?.Invoke(c);
        }
    }

    // Looks at the store every poll: a slot is ready once a later one has data or it ended a grace period ago.
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(_options.PollMilliseconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await FollowOwnershipAsync(cancellationToken).ConfigureAwait(false);
            // A replay's history is being loaded until its clock starts: those slots are the past, not news.
            if (!_ingest.IsNews)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var (name, area) in _areas)
            {
                if (area.Term == 0) continue;
                try
                {
                    var slotMs = _catalog.Areas[name].Settings.SlotMinutes * 60_000L;
                    if (await area.NewestSlotAsync(now, cancellationToken).ConfigureAwait(false) is not { } newest) continue;
                    area.DataUntilMs = newest + slotMs;
                    var complete = now >= newest + slotMs + (_options.GraceSeconds * 1000L) ? newest : newest - slotMs;
                    // Every slot in order, none skipped when the judge falls behind (hysteresis counts slots), and
                    // none queued twice: a slow judge leaves its backlog on the channel, not on the store's next poll.
                    // A paced replay judges from the last slot before its evening, whenever the watcher first looks.
                    var start = area.QueuedSlotMs is { } queued ? queued + slotMs
                        : _ingest.FirstSlotMs(slotMs) ?? complete;
                    var first = Math.Max(start, complete - (96 * slotMs));
                    for (var slot = first; slot <= complete; slot += slotMs)
                    {
                        await _ready.Writer.WriteAsync(new SlotReady(name, slot, now, area.Term), cancellationToken).ConfigureAwait(false);
                        area.QueuedSlotMs = slot;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(_log, e, name, DateTimeOffset.FromUnixTimeMilliseconds(now));
                }
            }

            foreach (var area in _areas.Values.Where(a => a.Term != 0))
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    Announce(await area.TickAsync(now, cancellationToken).ConfigureAwait(false));
                }
                catch (AlertConflictException e)
                {
                    // Someone wrote first: the next poll works from what the store holds.
                    Conflict(_log, area.Book.Area, DateTimeOffset.FromUnixTimeMilliseconds(now), e.Message);
                    await area.RestoreAsync(_alerts, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // An area taken is read back from the store and judged from the slot after the last one judged (by whichever node);
    // with several nodes every book is read back each poll, for what other nodes and operators elsewhere recorded.
    private async Task FollowOwnershipAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, area) in _areas)
        {
            var term = _ownership.TermOf(name);
            if (term == area.Term && !_ownership.Shared) continue;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await area.RestoreAsync(_alerts, cancellationToken).ConfigureAwait(false);
                if (term == area.Term) continue;
                area.Term = term;
                if (term == 0) continue;
                area.CarryOn(await _ownership.JudgedThroughAsync(name, cancellationToken).ConfigureAwait(false));
                Taken(_log, name, area.LastSlotMs is { } judged ? $"the slot after {DateTimeOffset.FromUnixTimeMilliseconds(judged):u}" : "the newest complete slot");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store or Redis is away: judging waits; the next poll tries again.
                area.Term = 0;
                Failed(_log, e, name, _time.GetUtcNow());
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static Playbook LoadPlaybook(AlertingOptions options, string deployment, ILogger log)
    {
        var path = options.PlaybookFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(deployment)) ?? ".", "playbooks.json");
        if (!File.Exists(path))
        {
            if (options.PlaybookFile is not null) throw new FileNotFoundException($"Alerts:PlaybookFile '{path}' does not exist");
            return Playbook.Default;
        }

        var problems = new List<string>();
        var playbook = PlaybookFile.Read(path, problems);
        foreach (var p in problems) PlaybookProblem(log, p);
        return playbook;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts of {Area} at {Slot}: failed")]
    private static partial void Failed(ILogger log, Exception e, string area, DateTimeOffset slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Area}/{Place}: {Kind} {Level}. {Note}")]
    private static partial void Recorded(ILogger log, string area, string place, string kind, string level, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts of {Area}: judged on this node from {From}")]
    private static partial void Taken(ILogger log, string area, string from);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts of {Area} at {Slot}: the store holds a newer state ({Reason}); read back")]
    private static partial void Conflict(ILogger log, string area, DateTimeOffset slot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playbook: {Problem}")]
    private static partial void PlaybookProblem(ILogger log, string problem);
}
