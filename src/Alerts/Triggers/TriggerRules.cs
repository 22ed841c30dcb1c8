using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Triggers;

/// <summary>When each kind of trigger fires.</summary>
public sealed record TriggerRules
{
    /// <summary>A forecast trigger fires for a level whose probability within the horizon reaches this (CAP certainty Possible).</summary>
    public double PossibleProbability { get; init; } = 0.3;

    /// <summary>From this probability the forecast trigger's certainty is Likely.</summary>
    public double LikelyProbability { get; init; } = 0.6;

    /// <summary>Lowest level a forecast trigger warns of: forecasting Blue is routine on a busy day.</summary>
    public RiskLevel LowestForecastLevel { get; init; } = RiskLevel.Yellow;

    /// <summary>Slots over which the arrival rate of a surge is measured.</summary>
    public int SurgeSlots { get; init; } = 2;

    /// <summary>A surge fires when density grows faster than this, persons per walkable m² per minute.</summary>
    public double SurgeDensityPerMinute { get; init; } = 0.01;

    /// <summary>A surge warns of the level the place would reach this many minutes ahead at the current pace.</summary>
    public int SurgeLookaheadMinutes { get; init; } = 30;

    /// <summary>Days of the same slot of day that make the search heat's usual value.</summary>
    public int SearchBaselineDays { get; init; } = 14;

    /// <summary>The search heat is anomalous when this many robust standard deviations above its usual.</summary>
    public double SearchAnomalyScore { get; init; } = 4;

    /// <summary>... and at least this many times its usual value.</summary>
    public double SearchAnomalyRatio { get; init; } = 2;

    /// <summary>... and at least this many searches in the slot: a few searches in a quiet hour are no sign.</summary>
    public double SearchAnomalyMinimum { get; init; } = 50;

    /// <summary>The level a search anomaly warns of.</summary>
    public RiskLevel SearchAnomalyLevel { get; init; } = RiskLevel.Blue;

    /// <summary>Whether the values make sense; otherwise why not.</summary>
    public bool IsValid(out string? reason)
    {
        reason =
            !(PossibleProbability is > 0 and < 1) ? "PossibleProbability must be between 0 and 1" :
            !(LikelyProbability > PossibleProbability && LikelyProbability < 1) ? "LikelyProbability must be above PossibleProbability and below 1" :
            SurgeSlots < 1 ? "SurgeSlots must be at least 1" :
            !(SurgeDensityPerMinute > 0) ? "SurgeDensityPerMinute must be positive" :
            SurgeLookaheadMinutes < 1 ? "SurgeLookaheadMinutes must be at least 1" :
            SearchBaselineDays < 2 ? "SearchBaselineDays must be at least 2" :
            !(SearchAnomalyScore > 0) ? "SearchAnomalyScore must be positive" :
            !(SearchAnomalyRatio >= 1) ? "SearchAnomalyRatio must be 1 or more" :
            null;
        return reason is null;
    }
}
