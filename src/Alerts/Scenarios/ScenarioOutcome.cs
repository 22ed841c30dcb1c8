using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>What a scenario comes to.</summary>
/// <param name="Plan">The scenario run.</param>
/// <param name="Cells">People per cell at each point (single precision: a city for half a day in a few MB).</param>
/// <param name="Zones">Each zone through the scenario, in layer order.</param>
/// <param name="RiskPoints">Clusters of cells reaching Yellow or more at their peaks, riskiest first.</param>
/// <param name="PeakCellDensity">Per cell, its highest density, persons/m².</param>
/// <param name="NoRoom">People who would have come but found the cells packed to the jam density, in all.</param>
public sealed record ScenarioOutcome(ScenarioPlan Plan, float[][] Cells, IReadOnlyList<ZoneOutcome> Zones, IReadOnlyList<RiskPoint> RiskPoints, double[] PeakCellDensity, double NoRoom)
{
    /// <summary>The highest level any zone reaches.</summary>
    public RiskLevel MaxLevel => Zones.Count == 0 ? RiskLevel.None : Zones.Max(z => z.MaxLevel);
}
