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

    /// <summary>Minutes without data about a place after which its alert expires; also the CAP <c>expires</c> horizon.</summary>
    public int ExpireMinutes { get; init; } = 60;

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
            null;
        return reason is null;
    }
}
