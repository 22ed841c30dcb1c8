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

    /// <summary>
    /// Kept for events recorded by earlier versions: an alert is no longer ended for want of data (late data is not
    /// the danger ending); a silent place raises <see cref="DataGap"/> instead.
    /// </summary>
    Expired = 5,

    /// <summary>No data about the place for longer than the policy's gap: the alert stays open at its level, operators are told (no CAP).</summary>
    DataGap = 6,

    /// <summary>Data about the place arrive again after a gap (no CAP).</summary>
    DataResumed = 7,
}
