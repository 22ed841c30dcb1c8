using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>
/// The open alerts of one area and the rules of their lives. Each slot's assessments go in, the changes come out in
/// the order they happened: at most one open alert per place, raised at the first warning level, updated when the
/// level rises (at once) or falls (only after the place has stayed below its level less a margin for some slots,
/// so a crowd hovering at a threshold does not flap), escalated when nobody acknowledges it, resolved when the place
/// clears (observed and forecast below the level less the margin) or an operator says so. Data that stop or come late
/// never end an alert: the place is marked with a data gap that operators see, and the alert keeps its level until
/// data show the danger has passed. An active alert's CAP message is renewed before it lapses. Holds no I/O: the
/// caller stores and delivers changes.
/// </summary>
public sealed class AlertBook
{
    private const string System = "system";
    private readonly Dictionary<string, Alert> _open = [];
    private readonly Dictionary<string, RiskLevel> _dismissed = [];
    private readonly Func<Guid> _newId;
    private readonly Lock _lock = new();

    /// <summary>A book for <paramref name="area"/>.</summary>
    /// <param name="area">The area's name.</param>
    /// <param name="policy">The rules.</param>
    /// <param name="newId">Makes alert ids (random by default; replays pass a deterministic one).</param>
    public AlertBook(string area, AlertPolicy? policy = null, Func<Guid>? newId = null)
    {
        Area = area ?? throw new ArgumentNullException(nameof(area));
        Policy = policy ?? new AlertPolicy();
        if (!Policy.IsValid(out var reason)) throw new ArgumentException(reason, nameof(policy));
        _newId = newId ?? Guid.NewGuid;
    }

    /// <summary>The area.</summary>
    public string Area { get; }

    /// <summary>The rules.</summary>
    public AlertPolicy Policy { get; }

    /// <summary>The open alerts, most severe first.</summary>
    public IReadOnlyList<Alert> Open
    {
        get
        {
            lock (_lock) return [.. Alert.MostDangerousFirst(_open.Values)];
        }
    }

    /// <summary>Makes the open alerts those read from the store (after a restart, or when another writer recorded first).</summary>
    public void Restore(IEnumerable<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_lock)
        {
            _open.Clear();
            foreach (var a in alerts)
                if (a.IsOpen && a.Area == Area) _open[a.Place.Id] = a;
        }
    }

    /// <summary>Applies one slot's assessments made at <paramref name="nowMs"/>; returns the changes in order.</summary>
    public IReadOnlyList<AlertChange> Assess(IEnumerable<Assessment> assessments, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var changes = new List<AlertChange>();
        lock (_lock)
        {
            foreach (var a in assessments) Assess(a, nowMs, changes);
        }

        return changes;
    }

    /// <summary>
    /// Marks places whose data are late (a data gap, never an end), escalates alerts nobody acknowledged in time and
    /// renews CAP messages about to lapse while their alert is open.
    /// </summary>
    /// <param name="nowMs">The time now, Unix ms.</param>
    /// <param name="dataUntilMs">
    /// The end of the newest slot the area's data have reached, judged or not (null: the places' own judged slots): a
    /// judge that falls behind the data is no data gap.
    /// </param>
    public IReadOnlyList<AlertChange> Tick(long nowMs, long? dataUntilMs = null)
    {
        var changes = new List<AlertChange>();
        lock (_lock)
        {
            foreach (var id in _open.Values.OrderBy(a => a.RaisedMs).Select(a => a.Place.Id).ToList())
            {
                var a = _open[id];
                var until = Math.Max(a.SeenUntilMs, dataUntilMs ?? 0);
                // The next slot is due when it ends: late by more than the gap past that, the data are missing.
                if (a.DataGapSinceMs is null && nowMs - until > (a.SlotMinutes + Policy.GapMinutes) * 60_000L)
                {
                    var gap = a with { DataGapSinceMs = until, Version = a.Version + 1 };
                    _open[id] = gap;
                    changes.Add(Change(AlertChangeKind.DataGap, gap, nowMs, System,
                        $"no data from {a.Place.NameEn} for {(nowMs - until) / 60_000} min (newest slot ended {DateTimeOffset.FromUnixTimeMilliseconds(until):u}); the alert stays at {a.Level.Colour()} until data show otherwise", a));
                    a = gap;
                }

                if (a.State == AlertState.Active && a.Level >= Policy.EscalateFrom && a.Stage < Policy.EscalationStages && nowMs - a.NotifiedMs >= Policy.AcknowledgeMinutes * 60_000L)
                {
                    var next = a with { Stage = a.Stage + 1, NotifiedMs = nowMs, Version = a.Version + 1 };
                    _open[id] = next;
                    changes.Add(Change(AlertChangeKind.Escalated, next, nowMs, System,
                        $"not acknowledged within {Policy.AcknowledgeMinutes} min: sent to recipient group {next.Stage + 1}", a));
                    a = next;
                }

                if (a.ExpiresMs > 0 && nowMs >= a.ExpiresMs - (Policy.RenewMinutes * 60_000L))
                {
                    var gapNote = a.DataGapSinceMs is { } since ? $"; no data since {DateTimeOffset.FromUnixTimeMilliseconds(since):u}" : "";
                    Update(a, a, nowMs, $"renewed: still {a.Level.Colour()}{gapNote}; {a.Trigger.Reason}", changes);
                }
            }
        }

        return changes;
    }

    /// <summary>An operator acknowledges alert <paramref name="id"/>; fails if it is not open or already acknowledged.</summary>
    public AlertChange Acknowledge(Guid id, string actor, string? note, long nowMs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        lock (_lock)
        {
            var a = Find(id);
            if (a.State == AlertState.Acknowledged) throw new InvalidOperationException($"alert {id} is already acknowledged by {a.AcknowledgedBy}");
            var next = a with { State = AlertState.Acknowledged, AcknowledgedBy = actor, AcknowledgedNote = note, Version = a.Version + 1 };
            _open[a.Place.Id] = next;
            return Change(AlertChangeKind.Acknowledged, next, nowMs, actor, note, a);
        }
    }

    /// <summary>
    /// An operator resolves alert <paramref name="id"/>. The place is not warned of again at that level or below until
    /// it has cleared; a higher level raises a new alert at once.
    /// </summary>
    public AlertChange Resolve(Guid id, string actor, string? note, long nowMs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        lock (_lock)
        {
            var a = Find(id);
            _open.Remove(a.Place.Id);
            _dismissed[a.Place.Id] = a.Level;
            return Change(AlertChangeKind.Resolved, a with { State = AlertState.Resolved, Version = a.Version + 1 }, nowMs, actor, note, a);
        }
    }

    private Alert Find(Guid id) =>
        _open.Values.FirstOrDefault(a => a.Id == id) ?? throw new KeyNotFoundException($"no open alert {id}");

    private void Assess(Assessment a, long nowMs, List<AlertChange> changes)
    {
        var placeId = a.Slot.Place.Id;
        var level = a.Level >= Policy.LowestLevel ? a.Level : RiskLevel.None;
        if (_dismissed.TryGetValue(placeId, out var dismissed))
        {
            if (a.Held < dismissed && level <= dismissed) _dismissed.Remove(placeId);
            if (level <= dismissed) level = RiskLevel.None;
        }

        if (!_open.TryGetValue(placeId, out var current))
        {
            if (level == RiskLevel.None) return;
            var raised = new Alert(_newId(), Area, a.Slot.Place, level, a.Leading!, AlertState.Active, 1, nowMs, nowMs, a.Slot.Density,
                a.Slot.CapacityUse, a.Trend, a.Peak, a.Slot.SlotMs, Stage: 0, NotifiedMs: nowMs, SlotMinutes: a.Slot.SlotMinutes,
                Observed: a.Observed, DensityFlagged: a.Slot.DensityFlagged, UnderK: a.Slot.UnderK);
            raised = raised with { ExpiresMs = Policy.ExpiresFor(raised, nowMs) };
            _open[placeId] = raised;
            changes.Add(Change(AlertChangeKind.Raised, raised, nowMs, System, a.Leading!.Reason, null));
            return;
        }

        // A slot older than the newest judged says nothing new (a late duplicate).
        if (a.Slot.SlotMs < current.SeenMs) return;
        if (current.DataGapSinceMs is { } since)
        {
            var resumed = current with { DataGapSinceMs = null, Version = current.Version + 1 };
            _open[placeId] = resumed;
            changes.Add(Change(AlertChangeKind.DataResumed, resumed, nowMs, System,
                $"data from {current.Place.NameEn} again ({DateTimeOffset.FromUnixTimeMilliseconds(a.Slot.SlotMs):u}) after a gap since {DateTimeOffset.FromUnixTimeMilliseconds(since):u}", current));
            current = resumed;
        }

        var seen = current with { Place = a.Slot.Place, Density = a.Slot.Density, CapacityUse = a.Slot.CapacityUse, Trend = a.Trend, Peak = a.Peak, SeenMs = a.Slot.SlotMs,
            Observed = a.Observed, DensityFlagged = a.Slot.DensityFlagged, UnderK = a.Slot.UnderK };
        if (level > current.Level)
        {
            // A higher level needs a new acknowledgement and goes to the current recipients at once.
            Update(seen with { Level = level, Trigger = a.Leading!, State = AlertState.Active, AcknowledgedBy = null, AcknowledgedNote = null, NotifiedMs = nowMs }, current, nowMs, a.Leading!.Reason, changes);
            return;
        }

        if (a.Held < current.Level)
        {
            var quiet = current.QuietSlots + 1;
            if (quiet < Policy.ClearSlots)
            {
                _open[placeId] = seen with { QuietSlots = quiet };
                return;
            }

            if (level == RiskLevel.None)
            {
                _open.Remove(placeId);
                changes.Add(Change(AlertChangeKind.Resolved, seen with { State = AlertState.Resolved, Version = current.Version + 1, QuietSlots = quiet }, nowMs, System,
                    $"below {current.Level.Colour()} less {Policy.ClearMargin * 100:0}% for {quiet} slots", current));
                return;
            }

            Update(seen with { Level = level, Trigger = a.Leading!, QuietSlots = 0 }, current, nowMs,
                $"down to {level.Colour()}: below {current.Level.Colour()} less {Policy.ClearMargin * 100:0}% for {quiet} slots; {a.Leading!.Reason}", changes);
            return;
        }

        seen = seen with { QuietSlots = 0 };
        // What was expected is now seen: the same level with a firmer certainty is news worth a CAP update.
        if (level == current.Level && a.Leading is { Kind: TriggerKind.Observed } lead && current.Trigger.Kind != TriggerKind.Observed)
        {
            Update(seen with { Trigger = lead }, current, nowMs, lead.Reason, changes);
            return;
        }

        _open[placeId] = seen;
    }

    private void Update(Alert next, Alert current, long nowMs, string reason, List<AlertChange> changes)
    {
        var version = current.Version + 1;
        next = next with { Version = version, ChangedMs = nowMs, ChangedVersion = version };
        next = next with { ExpiresMs = Policy.ExpiresFor(next, nowMs) };
        _open[next.Place.Id] = next;
        changes.Add(Change(AlertChangeKind.Updated, next, nowMs, System, reason, current));
    }

    private static AlertChange Change(AlertChangeKind kind, Alert alert, long nowMs, string actor, string? note, Alert? previous) =>
        new(kind, alert, nowMs, actor, note, previous);
}
