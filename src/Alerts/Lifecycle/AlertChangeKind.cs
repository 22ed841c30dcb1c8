namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>A step in an alert's life; each is an event in the store and the audit log.</summary>
public enum AlertChangeKind : byte
{
    /// <summary>First raised (CAP msgType Alert).</summary>
    Raised = 0,

    /// <summary>Level up or down, or a firmer certainty (CAP msgType Update, with references).</summary>
    Updated = 1,

    /// <summary>An operator acknowledged it.</summary>
    Acknowledged = 2,

    /// <summary>Not acknowledged in time: sent to the next group of recipients.</summary>
    Escalated = 3,

    /// <summary>Cleared (CAP msgType Cancel).</summary>
    Resolved = 4,

    /// <summary>No data for too long (CAP msgType Cancel).</summary>
    Expired = 5,
}
