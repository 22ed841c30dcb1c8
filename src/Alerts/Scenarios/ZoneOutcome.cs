using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>One zone through a scenario.</summary>
/// <param name="Zone">The zone's index in the area's layer.</param>
/// <param name="Name">Its name.</param>
/// <param name="People">People at each point.</param>
/// <param name="Levels">The level of its density (and capacity use) at each point.</param>
/// <param name="Warnings">The level the alert rules would warn of at each point (observed or surge), None where none.</param>
/// <param name="PeakPeople">Most people at once.</param>
/// <param name="PeakDensity">Its density then, persons/m².</param>
/// <param name="PeakUse">Its capacity use then (NaN without a capacity).</param>
/// <param name="PeakAtMs">When, Unix ms.</param>
/// <param name="FirstWarning">The first warning the rules would give: when, at which level, and why (null if none).</param>
/// <param name="FirstWarningAt">Per warning level Blue..Red, when it is first warned of (null if never).</param>
/// <param name="TurnedAway">People its admission limit kept out (0 without one).</param>
/// <param name="NoRoom">People who would have come to its cells but found them packed to the jam density.</param>
public sealed record ZoneOutcome(int Zone, string Name, double[] People, RiskLevel[] Levels, RiskLevel[] Warnings, double PeakPeople, double PeakDensity,
    double PeakUse, long PeakAtMs, ScenarioWarning? FirstWarning, long?[] FirstWarningAt, double TurnedAway, double NoRoom)
{
    /// <summary>The highest level its density reaches.</summary>
    public RiskLevel MaxLevel => Levels.Length == 0 ? RiskLevel.None : Levels.Max();
}
