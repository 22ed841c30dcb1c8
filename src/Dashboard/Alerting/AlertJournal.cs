using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// Writes alert events down before anyone hears of them: the audit log first, then the event with its CAP message
/// and every notification it causes, in one transaction of the store. Delivery reads the outbox afterwards.
/// </summary>
internal sealed class AlertJournal(IAlertStore store, IAuditLog audit, Playbook playbook, CapOptions cap, Func<IReadOnlyList<Recipient>> recipients,
    TimeZoneInfo zone, int expireMinutes, SmsTemplate? sms = null)
{
    /// <summary>Records <paramref name="change"/>; returns the notifications queued for it.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> RecordAsync(AlertChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var a = change.Alert;
        var level = change.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired ? change.Previous?.Level ?? a.Level : a.Level;
        var instruction = playbook.For(a.Place.Id, level);
        var xml = CapMessage.Write(change, instruction, cap, zone, expireMinutes);
        var messages = NotificationPlan.For(change, instruction, xml, recipients(), zone, sms);
        var kind = change.Kind.ToString().ToLowerInvariant();
        await audit.AppendAsync(new AuditEntry(change.AtMs, change.Actor, $"alert.{kind}", a.Id.ToString(),
            $"{a.Place.Id} v{a.Version} {a.Level.Colour()} ({a.Trigger.Kind}); {messages.Count} notifications; {change.Note}"), cancellationToken).ConfigureAwait(false);
        await store.RecordAsync(new AlertEvent(a.Id, a.Version, change.AtMs, kind, a.Area, a.Place.Id, a.Level.Colour(), change.Actor, change.Note, xml,
            AlertSnapshot.ToJson(a)),
            messages, cancellationToken).ConfigureAwait(false);
        return messages;
    }
}
