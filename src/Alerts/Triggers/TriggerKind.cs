namespace CrowdWatch.Alerts.Triggers;

/// <summary>Why a warning is raised: what was seen or expected.</summary>
public enum TriggerKind : byte
{
    /// <summary>The density of the current slot is at the level.</summary>
    Observed = 0,

    /// <summary>The forecast gives the level a probability above the configured value within the horizon.</summary>
    Forecast = 1,

    /// <summary>People are arriving faster than the configured rate: at this pace the level is near.</summary>
    Surge = 2,

    /// <summary>Map searches for the place far above their usual for the slot: crowds are on their way.</summary>
    SearchAnomaly = 3,
}
