using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Replay;

/// <summary>What a replay found: every alert event, and per zone when warnings came against when danger was seen.</summary>
/// <param name="Entries">Every alert event in order.</param>
/// <param name="Zones">Per zone, the facts for the lead-time summary.</param>
/// <param name="SlotMs">Start of each replayed slot.</param>
/// <param name="People">Per zone, people per replayed slot.</param>
/// <param name="LevelPeople">Per zone, the people at which Blue..Red begin.</param>
/// <param name="WorstSlotMs">The slot whose riskiest cell cluster scored highest, if any was hot.</param>
/// <param name="RiskPoints">The ranked risk points of that slot.</param>
public sealed record ReplayResult(IReadOnlyList<ReplayEntry> Entries, IReadOnlyList<ZoneLeadTime> Zones, long[] SlotMs, double[][] People, double[][] LevelPeople,
    long? WorstSlotMs, IReadOnlyList<RiskPoint> RiskPoints);

/// <summary>For one zone: its first warnings and when its observed level first reached Orange.</summary>
/// <param name="Zone">The zone's name.</param>
/// <param name="PeakLevel">The highest level its observed density reached.</param>
/// <param name="FirstWarningMs">When its first alert was raised (end of the slot whose data raised it), Unix ms.</param>
/// <param name="FirstWarning">The trigger that raised it.</param>
/// <param name="FirstForecastMs">When the forecast engine's probabilities first fired a trigger for it (leading or not), Unix ms.</param>
/// <param name="FirstForecast">That forecast trigger.</param>
/// <param name="FirstOrangeForecastMs">When a forecast trigger first gave Orange or Red, Unix ms.</param>
/// <param name="FirstOrangeForecast">That trigger.</param>
/// <param name="ObservedOrangeMs">End of the first slot whose observed level was Orange or above (when it could be known), Unix ms.</param>
public sealed record ZoneLeadTime(string Zone, RiskLevel PeakLevel, long? FirstWarningMs, Trigger? FirstWarning, long? FirstForecastMs, Trigger? FirstForecast,
    long? FirstOrangeForecastMs, Trigger? FirstOrangeForecast, long? ObservedOrangeMs);
