using System.Globalization;
using System.Text.Json;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>
/// Who hears of an alert event and what they get: the outbox messages to record with the event. Raises and
/// updates go to every stage reached so far, an escalation to the new stage only, a clearance to everyone who heard
/// of the level, an acknowledgement to the machines (webhooks) only.
/// </summary>
public static class NotificationPlan
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The idempotency key of an alert version: the same on every retry and for every recipient of it.</summary>
    public static string IdempotencyKey(Alert alert) => string.Create(Ci, $"{alert?.Id:N}.{alert!.Version}");

    /// <summary>The messages for <paramref name="change"/>.</summary>
    /// <param name="change">The alert event.</param>
    /// <param name="instruction">The playbook's instruction for the place and level.</param>
    /// <param name="cap">The event's CAP XML, if it publishes one.</param>
    /// <param name="recipients">Everyone configured.</param>
    /// <param name="zone">The area's time zone, for the times in texts.</param>
    /// <param name="sms">The SMS texts (default <see cref="SmsTemplate.Default"/>).</param>
    public static IReadOnlyList<OutboxMessage> For(AlertChange change, Instruction instruction, string? cap, IReadOnlyList<Recipient> recipients, TimeZoneInfo zone,
        SmsTemplate? sms = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(recipients);
        var a = change.Alert;
        var announced = change.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired ? change.Previous?.Level ?? a.Level : a.Level;
        // Bookkeeping that changes nothing people must do (an acknowledgement, a data gap and its end, a CAP message
        // renewed at the same level and trigger) goes to the machines only; people hear of levels and escalations.
        var renewal = change.Kind == AlertChangeKind.Updated && change.Previous is { } p && p.Level == a.Level && p.Trigger == a.Trigger;
        bool Hears(Recipient r) => change.Kind switch
        {
            AlertChangeKind.Escalated => r.Stage == a.Stage,
            AlertChangeKind.Acknowledged or AlertChangeKind.DataGap or AlertChangeKind.DataResumed => r.Stage <= a.Stage && r.Channel == "webhook",
            AlertChangeKind.Updated when renewal => r.Stage <= a.Stage && r.Channel == "webhook",
            _ => r.Stage <= a.Stage,
        };
        var messages = new List<OutboxMessage>();
        foreach (var r in recipients)
        {
            if (!r.Covers(a.Place.Id, announced) || !Hears(r)) continue;
            var payload = r.Channel switch
            {
                "webhook" => Webhook(change, instruction, cap),
                "email" => Email(change, announced, instruction, cap, r.Language, zone, sms),
                _ => (sms ?? SmsTemplate.Default).Render(change, announced, instruction, r.Language, zone),
            };
            messages.Add(new OutboxMessage(0, a.Id, a.Version, r.Channel, r.Address, payload, NextAttemptMs: change.AtMs));
        }

        return messages;
    }

    /// <summary>Subjects of e-mails, with the placeholders of <see cref="SmsTemplate"/>.</summary>
    public static SmsTemplate EmailSubject { get; } = new("【CrowdWatch】{place}{level}人群密度预警（{number}级）{event}", "[CrowdWatch] {level} crowd warning (level {number}) {event}: {place}");

    /// <summary>An e-mail as the outbox keeps it: JSON <c>{"subject", "body", "cap"}</c>; the body is the text message, whole.</summary>
    public static string Email(AlertChange change, RiskLevel level, Instruction instruction, string? cap, string language, TimeZoneInfo zone, SmsTemplate? text = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var subject = EmailSubject.Render(change, level, instruction, language, zone);
        var body = (text ?? SmsTemplate.Default).Render(change, level, instruction, language, zone);
        return JsonSerializer.Serialize(new { subject, body, cap }, Json);
    }

    /// <summary>The JSON a webhook receives.</summary>
    public static string Webhook(AlertChange change, Instruction instruction, string? cap)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(instruction);
        var a = change.Alert;
        var body = new
        {
            idempotencyKey = IdempotencyKey(a),
            @event = change.Kind.ToString().ToLowerInvariant(),
            at = DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs),
            actor = change.Actor,
            note = change.Note,
            alert = new
            {
                id = a.Id,
                version = a.Version,
                area = a.Area,
                place = new { id = a.Place.Id, nameZh = a.Place.NameZh, nameEn = a.Place.NameEn },
                level = a.Level.Colour(),
                previousLevel = change.Previous?.Level.Colour(),
                state = a.State.ToString().ToLowerInvariant(),
                stage = a.Stage,
                trigger = a.Trigger.Kind.ToString(),
                certainty = a.Trigger.Certainty.ToString(),
                probability = double.IsNaN(a.Trigger.Probability) ? (double?)null : a.Trigger.Probability,
                reason = a.Trigger.Reason,
                // Under k no number goes out: it would tell the size of a small group.
                densityStatus = a.UnderK ? KThreshold.LowDensity : KThreshold.DensityEstimation,
                density = a.UnderK ? (double?)null : Math.Round(a.Density, 3),
                capacityUse = !a.UnderK && a.CapacityUse is { } u ? Math.Round(u, 3) : (double?)null,
                trendPerHour = a.UnderK ? (double?)null : Math.Round(a.Trend * 60, 3),
                densityFlagged = a.DensityFlagged,
                dataGapSince = a.DataGapSinceMs is { } gap ? DateTimeOffset.FromUnixTimeMilliseconds(gap) : (DateTimeOffset?)null,
                peak = a.Peak.Known
                    ? new { density = Math.Round(a.Peak.Density, 3), at = DateTimeOffset.FromUnixTimeMilliseconds(a.Peak.AtMs), low = Math.Round(a.Peak.Low, 3), high = Math.Round(a.Peak.High, 3) }
                    : null,
                instruction = new { zh = instruction.Zh, en = instruction.En },
            },
            cap,
        };
        return JsonSerializer.Serialize(body, Json);
    }
}
