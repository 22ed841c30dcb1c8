using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// The warnings of one area in the live service: per slot it reads the zones' people (and the map searches of their
/// cells) from the store with the newest forecast run, judges every zone, steps the alert book and journals every
/// change before anything is sent. Open alerts are read back from the store when it starts.
/// </summary>
internal sealed class AreaAlerts
{
    private readonly Area _area;
    private readonly ICountStore _counts;
    private readonly IForecastStore _forecasts;
    private readonly AlertJournal _journal;
    private readonly TriggerRules _rules;
    private readonly Place[] _places;
    private readonly double[] _walkable;
    private readonly LevelThresholds[] _thresholds;

    public AreaAlerts(Area area, ICountStore counts, IForecastStore forecasts, AlertJournal journal, AlertPolicy policy, TriggerRules rules)
    {
        _area = area;
        _counts = counts;
        _forecasts = forecasts;
        _journal = journal;
        _rules = rules;
        Book = new AlertBook(area.Name, policy);
        _places = ZonePlaces.Of(area);
        _walkable = [.. Enumerable.Range(0, area.Zones.Zones.Count).Select(z => area.Zones.ZoneWalkableM2(z, area.WalkableM2))];
        _thresholds = [.. area.Zones.Zones.Select(z => DangerLevels.Thresholds(z.Thresholds))];
    }

    /// <summary>The area's alert book.</summary>
    public AlertBook Book { get; }

    /// <summary>The last slot evaluated (start, Unix ms), or null before the first.</summary>
    public long? LastSlotMs { get; private set; }

    private long SlotMs => _area.Settings.SlotMinutes * 60_000L;

    /// <summary>Puts the open alerts of the store back into the book.</summary>
    public async Task RestoreAsync(IAlertStore store, CancellationToken cancellationToken)
    {
        var open = await store.OpenAlertsAsync(_area.Name, cancellationToken).ConfigureAwait(false);
        Book.Restore(open.Select(e => AlertSnapshot.FromJson(e.State)).OfType<Alert>());
    }

    /// <summary>The newest slot with zone counts in the last day before <paramref name="nowMs"/>, if any.</summary>
    public async Task<long?> NewestSlotAsync(long nowMs, CancellationToken cancellationToken)
    {
        long? newest = null;
        foreach (var zone in _area.Zones.Zones)
        {
            var rows = await _counts.ReadZoneAsync(new ZoneQuery(_area.Name, zone.Name, "people", nowMs - 86_400_000L, nowMs + SlotMs), cancellationToken).ConfigureAwait(false);
            if (rows.Count > 0 && (newest is null || rows[^1].SlotStartMs > newest)) newest = rows.Max(r => r.SlotStartMs);
        }

        return newest;
    }

    /// <summary>Judges every zone in slot <paramref name="slotMs"/> and records the alert changes; returns them.</summary>
    public async Task<IReadOnlyList<AlertChange>> EvaluateAsync(long slotMs, long nowMs, CancellationToken cancellationToken)
    {
        var zones = _area.Zones.Zones;
        var slot = SlotMs;
        var back = _rules.SurgeSlots;
        var outlooks = await OutlooksAsync(slotMs, cancellationToken).ConfigureAwait(false);
        var search = await SearchAsync(slotMs, cancellationToken).ConfigureAwait(false);
        var assessments = new List<Assessment>(zones.Count);
        for (var z = 0; z < zones.Count; z++)
        {
            var rows = await _counts.ReadZoneAsync(new ZoneQuery(_area.Name, zones[z].Name, "people", slotMs - (back * slot), slotMs + slot), cancellationToken).ConfigureAwait(false);
            var bySlot = rows.ToDictionary(r => r.SlotStartMs, r => r.Value);
            if (!bySlot.TryGetValue(slotMs, out var people)) people = 0;
            var before = Enumerable.Range(1, back).Reverse().Select(k => bySlot.TryGetValue(slotMs - (k * slot), out var v) ? v : double.NaN).ToArray();
            var placeSlot = new PlaceSlot(_places[z], slotMs, _area.Settings.SlotMinutes, people, before, _walkable[z], zones[z].Capacity, _thresholds[z],
                search?.Now[z] ?? double.NaN, search?.SameSlot[z] ?? [], outlooks.GetValueOrDefault(zones[z].Name));
            assessments.Add(TriggerEvaluation.Evaluate(placeSlot, _rules, Book.Policy.ClearMargin));
        }

        var changes = new List<AlertChange>(Book.Assess(assessments, nowMs));
        changes.AddRange(Book.Tick(nowMs));
        foreach (var c in changes) await _journal.RecordAsync(c, cancellationToken).ConfigureAwait(false);
        LastSlotMs = slotMs;
        return changes;
    }

    /// <summary>Escalations and expiries due at <paramref name="nowMs"/>, recorded.</summary>
    public async Task<IReadOnlyList<AlertChange>> TickAsync(long nowMs, CancellationToken cancellationToken)
    {
        var changes = Book.Tick(nowMs);
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
        var run = await _forecasts.LatestRunAsync(_area.Name, cancellationToken).ConfigureAwait(false);
        if (run is null || run.OriginSlotMs > slotMs || run.OriginSlotMs < slotMs - (4 * SlotMs)) return result;
        foreach (var zone in _area.Zones.Zones)
        {
            var values = (await _forecasts.ValuesAsync(run.Id, zone.Name, true, cancellationToken).ConfigureAwait(false))
                .Where(v => v.TargetSlotMs > slotMs).OrderBy(v => v.TargetSlotMs).ToList();
            if (values.Count == 0) continue;
            result[zone.Name] = new Outlook(values[0].TargetSlotMs, _area.Settings.SlotMinutes, [.. values.Select(v => v.Mean)], [.. values.Select(v => v.Low80)],
                [.. values.Select(v => v.High80)], [.. values.Select(v => v.Exceedance.ToArray())], 0.8);
        }

        return result;
    }

    // Map searches per zone now and at the same slot of day on the days before, from the cells' search channel.
    private async Task<(double[] Now, double[][] SameSlot)?> SearchAsync(long slotMs, CancellationToken cancellationToken)
    {
        var days = _rules.SearchBaselineDays;
        var zoneCount = _area.Zones.Zones.Count;
        var byCell = new double[_area.Grid.Spec.CellCount];
        var perDay = new double[days + 1][];
        var any = false;
        for (var d = 0; d <= days; d++)
        {
            var at = slotMs - (d * 86_400_000L);
            var rows = await _counts.ReadAsync(new CountQuery(_area.Name, "search", at, at + 1), cancellationToken).ConfigureAwait(false);
            Array.Clear(byCell);
            foreach (var r in rows) if (r.Cell >= 0 && r.Cell < byCell.Length) byCell[r.Cell] += r.Value;
            any |= rows.Count > 0;
            perDay[d] = [.. Enumerable.Range(0, zoneCount).Select(z => rows.Count > 0 ? _area.Zones.ZonePeople(z, byCell) : double.NaN)];
        }

        if (!any || double.IsNaN(perDay[0][0])) return null;
        return (perDay[0], [.. Enumerable.Range(0, zoneCount).Select(z => Enumerable.Range(1, days).Reverse().Select(d => perDay[d][z]).ToArray())]);
    }
}
