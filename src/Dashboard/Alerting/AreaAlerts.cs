using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// The warnings of one area in the live service: per slot it reads the zones' people and map searches from the
/// store's zone totals with the newest forecast run, forecasts from the searches' lead (fitted daily), judges every
/// zone, steps the alert book and journals every change before anything is sent. Open alerts are read back from the
/// store when it starts.
/// </summary>
internal sealed class AreaAlerts
{
    private readonly ICountStore _counts;
    private readonly IForecastStore _forecasts;
    private readonly AlertJournal _journal;
    private readonly TriggerRules _rules;
    private ZoneJudge _judge;
    private SearchLead _lead = new();
    private bool _leadFitted;
    private long? _leadFittedMs;
    private IReadOnlyList<Assessment>? _lastAssessments;

    public AreaAlerts(Area area, ICountStore counts, IForecastStore forecasts, AlertJournal journal, AlertPolicy policy, TriggerRules rules)
    {
        _counts = counts;
        _forecasts = forecasts;
        _journal = journal;
        _rules = rules;
        Book = new AlertBook(area.Name, policy);
        _judge = new ZoneJudge(area, rules, policy.ClearMargin);
    }

    /// <summary>Judges by <paramref name="area"/>'s zones from the next slot on (an admin changed a capacity or thresholds); open alerts stay.</summary>
    public void Retune(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        if (area.Zones.Zones.Count != CurrentArea.Zones.Zones.Count) throw new InvalidOperationException("an edit may change a zone's settings, not the zones");
        _judge = new ZoneJudge(area, _rules, Book.Policy.ClearMargin);
    }

    /// <summary>The area's alert book.</summary>
    public AlertBook Book { get; }

    /// <summary>The last slot evaluated (start, Unix ms), or null before the first.</summary>
    public long? LastSlotMs { get; private set; }

    /// <summary>This node's term as the area's judge (0: another node judges it); see <see cref="Hosting.IAreaOwnership"/>.</summary>
    public long Term { get; set; }

    /// <summary>Carries on after slot <paramref name="judgedMs"/> (judged by an earlier owner); null: from the newest complete slot.</summary>
    public void CarryOn(long? judgedMs) => (LastSlotMs, QueuedSlotMs) = (judgedMs, judgedMs);

    /// <summary>The last slot queued for judging (start, Unix ms), or null before the first: the watcher's own mark.</summary>
    public long? QueuedSlotMs { get; set; }

    /// <summary>The end of the newest slot the store holds for the area, judged or not, as the watcher last saw it (Unix ms).</summary>
    public long? DataUntilMs { get; set; }

    // The area as the judge has it (its latest settings).
    private Area CurrentArea => _judge.Area;

    private long SlotMs => CurrentArea.Settings.SlotMinutes * 60_000L;

    /// <summary>Makes the book's open alerts those of the store (after a restart, on taking the area, after a refused change).</summary>
    public async Task RestoreAsync(IAlertStore store, CancellationToken cancellationToken)
    {
        var open = await store.OpenAlertsAsync(CurrentArea.Name, cancellationToken).ConfigureAwait(false);
        Book.Restore(open.Select(e => AlertSnapshot.FromJson(e.State)).OfType<Alert>());
    }

    /// <summary>The newest slot with zone counts in the last day before <paramref name="nowMs"/>, if any.</summary>
    public async Task<long?> NewestSlotAsync(long nowMs, CancellationToken cancellationToken)
    {
        long? newest = null;
        foreach (var zone in CurrentArea.Zones.Zones)
        {
            var rows = await _counts.ReadZoneAsync(new ZoneQuery(CurrentArea.Name, zone.Name, "people", nowMs - 86_400_000L, nowMs + SlotMs), cancellationToken).ConfigureAwait(false);
            if (rows.Count > 0 && (newest is null || rows[^1].SlotStartMs > newest)) newest = rows.Max(r => r.SlotStartMs);
        }

        return newest;
    }

    /// <summary>Judges every zone in slot <paramref name="slotMs"/> and records the alert changes; returns them.</summary>
    public async Task<IReadOnlyList<AlertChange>> EvaluateAsync(long slotMs, long nowMs, CancellationToken cancellationToken)
    {
        var zones = CurrentArea.Zones.Zones;
        var perDay = 1440 / CurrentArea.Settings.SlotMinutes;
        var back = _rules.SurgeSlots;
        // The zones' people and searches (kept per zone at ingest) over the baseline days and the last hours: enough
        // for the surge, the search anomaly and the search lead.
        var span = (_rules.SearchBaselineDays * perDay) + Math.Max(back, _lead.Window);
        var recent = await ZonePanelAsync(slotMs - (span * SlotMs), slotMs, cancellationToken).ConfigureAwait(false);
        var t = recent.Length - 1;
        var outlooks = await OutlooksAsync(slotMs, cancellationToken).ConfigureAwait(false);
        if (recent.HasSearch) await FitLeadAsync(slotMs, cancellationToken).ConfigureAwait(false);
        var assessments = _judge.Judge(recent, t, z => outlooks.GetValueOrDefault(zones[z].Name), _leadFitted ? _lead : null);
        var changes = new List<AlertChange>(Book.Assess(assessments, nowMs));
        // The data reach at least the newest slot the watcher saw: judging a backlog is no data gap.
        changes.AddRange(Book.Tick(nowMs, Math.Max(slotMs + SlotMs, DataUntilMs ?? 0)));
        foreach (var c in changes) await _journal.RecordAsync(c, cancellationToken).ConfigureAwait(false);
        LastSlotMs = slotMs;
        _lastAssessments = assessments;
        return changes;
    }

    /// <summary>The risk points of the last slot judged (none before the first): its cells' people, its zones' outlooks.</summary>
    public async Task<(long SlotMs, IReadOnlyList<RiskPoint> Points)?> RiskPointsAsync(CancellationToken cancellationToken)
    {
        if (LastSlotMs is not { } slotMs || _lastAssessments is not { } assessments) return null;
        var rows = await _counts.ReadAsync(new CountQuery(CurrentArea.Name, "people", slotMs, slotMs + 1), cancellationToken).ConfigureAwait(false);
        return (slotMs, CellRiskPoints.Of(CurrentArea, rows.Select(r => (r.Cell, r.Value)), slotMs, assessments));
    }

    /// <summary>Data gaps, escalations and renewals due at <paramref name="nowMs"/>, recorded.</summary>
    public async Task<IReadOnlyList<AlertChange>> TickAsync(long nowMs, CancellationToken cancellationToken)
    {
        var changes = Book.Tick(nowMs, DataUntilMs);
        foreach (var c in changes) await _journal.RecordAsync(c, cancellationToken).ConfigureAwait(false);
        return changes;
    }

    /// <summary>An operator acknowledges or resolves an alert; the change is recorded before it is returned.</summary>
    public async Task<AlertChange> ActAsync(Guid id, string actor, string? note, bool resolve, long nowMs, CancellationToken cancellationToken)
    {
        var change = resolve ? Book.Resolve(id, actor, note, nowMs) : Book.Acknowledge(id, actor, note, nowMs);
        await _journal.RecordAsync(change, cancellationToken).ConfigureAwait(false);
        return change;
    }

    // The newest forecast run issued from at most this slot, as outlooks per zone from the slot after it.
    private async Task<Dictionary<string, Outlook>> OutlooksAsync(long slotMs, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Outlook>(StringComparer.Ordinal);
        var run = await _forecasts.LatestRunAsync(CurrentArea.Name, cancellationToken).ConfigureAwait(false);
        if (run is null || run.OriginSlotMs > slotMs || run.OriginSlotMs < slotMs - (4 * SlotMs)) return result;
        foreach (var zone in CurrentArea.Zones.Zones)
        {
            var values = (await _forecasts.ValuesAsync(run.Id, zone.Name, true, cancellationToken).ConfigureAwait(false))
                .Where(v => v.TargetSlotMs > slotMs).OrderBy(v => v.TargetSlotMs).ToList();
            if (values.Count == 0) continue;
            result[zone.Name] = new Outlook(values[0].TargetSlotMs, CurrentArea.Settings.SlotMinutes, [.. values.Select(v => v.Mean)], [.. values.Select(v => v.Low80)],
                [.. values.Select(v => v.High80)], [.. values.Select(v => v.Exceedance.ToArray())], 0.8);
        }

        return result;
    }

    // The search lead is fitted on the last six weeks of zone counts once a day (a few hundred ms), not every slot.
    private async Task FitLeadAsync(long slotMs, CancellationToken cancellationToken)
    {
        if (_leadFittedMs is { } fitted && slotMs - fitted < 86_400_000L) return;
        var history = await ZonePanelAsync(slotMs - (42 * 86_400_000L), slotMs, cancellationToken).ConfigureAwait(false);
        var lead = new SearchLead();
        if (history.HasSearch) lead.Fit(history);
        _leadFittedMs = slotMs;
        // Fewer than two weeks of pairs: no lead yet (the defaults would be a guess).
        _leadFitted = lead.Pairs >= 100;
        if (_leadFitted) _lead = lead;
    }

    // The zones' people and map searches per slot in [fromMs, toMs] from the zone totals the store keeps; slots with no
    // row are zero; search is absent when no zone has any in the window.
    private async Task<SlotPanel> ZonePanelAsync(long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var zones = CurrentArea.Zones.Zones;
        var slots = (int)((toMs - fromMs) / SlotMs) + 1;
        var people = new double[zones.Count][];
        var search = new double[zones.Count][];
        var anySearch = false;
        for (var z = 0; z < zones.Count; z++)
        {
            (people[z], search[z]) = (new double[slots], new double[slots]);
            foreach (var (channel, into) in new[] { ("people", people[z]), ("search", search[z]) })
            {
                var rows = await _counts.ReadZoneAsync(new ZoneQuery(CurrentArea.Name, zones[z].Name, channel, fromMs, toMs + 1), cancellationToken).ConfigureAwait(false);
                foreach (var r in rows)
                {
                    var i = (int)((r.SlotStartMs - fromMs) / SlotMs);
                    if (i >= 0 && i < slots) into[i] = r.Value;
                }

                anySearch |= channel == "search" && rows.Count > 0;
            }
        }

        return new SlotPanel([.. zones.Select(z => z.Name)], fromMs, CurrentArea.Settings.SlotMinutes, people, anySearch ? search : null);
    }
}
