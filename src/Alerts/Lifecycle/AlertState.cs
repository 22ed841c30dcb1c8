namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>Where an alert is in its life.</summary>
public enum AlertState : byte
{
    /// <summary>Raised or updated, nobody has acknowledged this level yet.</summary>
    Active = 0,

    /// <summary>An operator has acknowledged it; it stays until resolved.</summary>
    Acknowledged = 1,

    /// <summary>Cleared: by the data (after hysteresis) or by an operator.</summary>
    Resolved = 2,

    /// <summary>No data about the place arrived for longer than its expiry.</summary>
    Expired = 3,
}
