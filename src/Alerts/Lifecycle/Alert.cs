using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>
/// A warning about one place, as it stands after its latest event. Immutable: every change makes a new version,
/// and <see cref="Version"/> is the number of events so far (1 when raised).
/// </summary>
/// <param name="Id">Stable id.</param>
/// <param name="Area">The area (deployment) it belongs to.</param>
/// <param name="Place">The place.</param>
/// <param name="Level">Its level now.</param>
/// <param name="Trigger">The leading trigger of its latest raise or update.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Version">Events so far: 1 for the raise, then one more per event.</param>
/// <param name="RaisedMs">When it was raised, Unix ms.</param>
/// <param name="ChangedMs">When its level or trigger last changed (the latest CAP message), Unix ms.</param>
/// <param name="Density">Density at the latest slot, persons/m².</param>
/// <param name="CapacityUse">Share of capacity in use at the latest slot, if known.</param>
/// <param name="Trend">Change of density per minute, persons/m² per minute.</param>
/// <param name="Peak">The expected peak.</param>
/// <param name="SeenMs">Start of the latest slot assessed for the place, Unix ms.</param>
/// <param name="Stage">Recipient group it has reached: 0 the first, one more per escalation.</param>
/// <param name="NotifiedMs">When the current stage was notified (escalation counts from here), Unix ms.</param>
/// <param name="QuietSlots">Consecutive slots below its level less the margin (hysteresis).</param>
/// <param name="AcknowledgedBy">Who acknowledged its current level, if anyone.</param>
/// <param name="AcknowledgedNote">Their note.</param>
/// <param name="ChangedVersion">The version of the latest CAP message (raise or update): what <c>references</c> cite.</param>
/// <param name="DataGapSinceMs">Since when the place's data are late (the end of its newest slot), Unix ms; null while they arrive.</param>
/// <param name="ExpiresMs">When the latest CAP message lapses (its <c>expires</c>), Unix ms; 0 before the first.</param>
/// <param name="SlotMinutes">Length of the place's slots.</param>
/// <param name="Observed">The level the place's latest slot itself reached (the alert's level may be one expected).</param>
/// <param name="DensityFlagged">Whether the data said more people than a crowd can hold (density capped; a data problem).</param>
/// <param name="UnderK">
/// Whether the latest slot counted fewer people or devices than the area's k: its density, capacity use and trend are
/// then shown only to operators, never published (CAP, SMS, webhooks, the public page, viewers, the hub).
/// </param>
public sealed record Alert(Guid Id, string Area, Place Place, RiskLevel Level, Trigger Trigger, AlertState State, int Version, long RaisedMs,
    long ChangedMs, double Density, double? CapacityUse, double Trend, Peak Peak, long SeenMs, int Stage = 0, long NotifiedMs = 0,
    int QuietSlots = 0, string? AcknowledgedBy = null, string? AcknowledgedNote = null, int ChangedVersion = 1, long? DataGapSinceMs = null, long ExpiresMs = 0,
    int SlotMinutes = 15, RiskLevel Observed = RiskLevel.None, bool DensityFlagged = false, bool UnderK = false)
{
    /// <summary>Whether it still warns (active or acknowledged).</summary>
    public bool IsOpen => State is AlertState.Active or AlertState.Acknowledged;

    /// <summary>End of the newest slot judged for the place, Unix ms.</summary>
    public long SeenUntilMs => SeenMs + (SlotMinutes * 60_000L);

    /// <summary>The order of danger in lists: level, then density, then capacity use (most dangerous first).</summary>
    public static IOrderedEnumerable<Alert> MostDangerousFirst(IEnumerable<Alert> alerts) =>
        alerts.OrderByDescending(a => a.Level).ThenByDescending(a => a.Density).ThenByDescending(a => a.CapacityUse ?? 0).ThenBy(a => a.RaisedMs);
}
