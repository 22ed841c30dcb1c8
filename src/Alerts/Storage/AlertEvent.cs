namespace CrowdWatch.Alerts.Storage;

/// <summary>
/// One step in an alert's life: raised, updated (escalated or de-escalated), acknowledged, escalated to the next
/// recipients, resolved or expired; with who did it and the message sent (CAP XML for raised and updated).
/// </summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Sequence">1 for the raise, then one more per event: the order of the alert's life.</param>
/// <param name="AtMs">When, Unix ms.</param>
/// <param name="Kind"><c>raised</c>, <c>updated</c>, <c>acknowledged</c>, <c>escalated</c>, <c>resolved</c> or <c>expired</c>.</param>
/// <param name="Area">The area.</param>
/// <param name="Place">The zone or cluster the alert is about.</param>
/// <param name="Level">The level after the event, for example <c>orange</c>.</param>
/// <param name="Actor">Who: an operator, or <c>system</c>.</param>
/// <param name="Note">The operator's note, if any.</param>
/// <param name="Message">The message sent for the event (CAP XML), if any.</param>
/// <param name="State">The alert as it stood after the event (JSON, see <c>AlertSnapshot</c>), if recorded.</param>
public sealed record AlertEvent(Guid AlertId, int Sequence, long AtMs, string Kind, string Area, string Place, string Level, string Actor,
    string? Note = null, string? Message = null, string? State = null);
