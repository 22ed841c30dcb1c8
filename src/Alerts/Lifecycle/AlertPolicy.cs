using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>How alerts live: when they are raised, held, cleared, escalated and expire.</summary>
public sealed record AlertPolicy
{
    /// <summary>The lowest level that raises an alert.</summary>
    public RiskLevel LowestLevel { get; init; } = RiskLevel.Blue;

    /// <summary>Share by which the thresholds are lowered when asking whether a place is still at its alert's level.</summary>
    public double ClearMargin { get; init; } = 0.1;

    /// <summary>Consecutive slots below the level less the margin before an alert is lowered or cleared.</summary>
    public int ClearSlots { get; init; } = 3;

    /// <summary>Minutes an alert may go unacknowledged before it goes to the next recipient group.</summary>
    public int AcknowledgeMinutes { get; init; } = 10;

    /// <summary>The lowest level whose alerts are escalated when nobody acknowledges them: a Blue "watch" waits for the desk.</summary>
    public RiskLevel EscalateFrom { get; init; } = RiskLevel.Yellow;

    /// <summary>Recipient groups beyond the first that escalation can reach.</summary>
    public int EscalationStages { get; init; } = 2;

    /// <summary>
    /// The shortest validity of a CAP message, minutes after it is sent: its <c>expires</c> is at least this far out
    /// (and later where the onset or the expected peak lies later), and an active alert's message is renewed by an
    /// Update before it lapses.
    /// </summary>
    public int ExpireMinutes { get; init; } = 60;

    /// <summary>
    /// Minutes past the end of the slot due next (the one after a place's newest data) after which the data are late:
    /// the alert stays open at its level and is marked with a data gap. Missing data never ends an alert.
    /// </summary>
    public int GapMinutes { get; init; } = 15;

    /// <summary>Minutes before a CAP message of an open alert lapses at which an Update renews it.</summary>
    public int RenewMinutes { get; init; } = 15;

    /// <summary>
    /// When a CAP message about <paramref name="alert"/> sent at <paramref name="sentMs"/> lapses: at least
    /// <see cref="ExpireMinutes"/> after sending, and that margin past the expected onset and the expected peak, so that
    /// a warning hours ahead stays valid through the hazard (it is renewed while the alert is open).
    /// </summary>
    public long ExpiresFor(Alert alert, long sentMs)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var margin = ExpireMinutes * 60_000L;
        var latest = Math.Max(sentMs, Math.Max(alert.Trigger.ExpectedAtMs, alert.Peak.AtMs));
        return latest + margin;
    }

    /// <summary>Whether the values make sense; otherwise why not.</summary>
    public bool IsValid(out string? reason)
    {
        reason =
            LowestLevel == RiskLevel.None ? "LowestLevel must be a warning level (blue..red)" :
            !(ClearMargin is >= 0 and < 1) ? "ClearMargin must be a share from 0 to below 1" :
            ClearSlots < 1 ? "ClearSlots must be at least 1" :
            AcknowledgeMinutes < 1 ? "AcknowledgeMinutes must be at least 1" :
            EscalationStages < 0 ? "EscalationStages must not be negative" :
            ExpireMinutes < 1 ? "ExpireMinutes must be at least 1" :
            GapMinutes < 1 ? "GapMinutes must be at least 1" :
            !(RenewMinutes >= 1 && RenewMinutes < ExpireMinutes) ? "RenewMinutes must be at least 1 and below ExpireMinutes" :
            null;
        return reason is null;
    }
}
