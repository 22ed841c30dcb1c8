namespace CrowdWatch.Alerts.Triggers;

/// <summary>How sure a trigger is, in CAP 1.2's terms.</summary>
public enum Certainty : byte
{
    /// <summary>Seen in the current data.</summary>
    Observed = 0,

    /// <summary>Probability above the "likely" value (by default 50%).</summary>
    Likely = 1,

    /// <summary>Probability above the "possible" value but not likely.</summary>
    Possible = 2,
}
