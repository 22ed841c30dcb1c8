using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Triggers;

/// <summary>A place judged in one slot: its density, level, what fires and the peak ahead.</summary>
/// <param name="Slot">What was known.</param>
/// <param name="Observed">The level of the current density (and capacity use).</param>
/// <param name="Triggers">Every trigger that fired, the leading one first (highest level; observed before forecast, surge, search).</param>
/// <param name="Held">
/// The level the place still holds for hysteresis: the observed level with every threshold lowered by the clearing
/// margin, or any other trigger's level; an alert clears only after this stays below it for the configured slots.
/// </param>
/// <param name="Trend">Change of density per minute over the recent slots, persons/m² per minute.</param>
/// <param name="Peak">The peak expected within the horizon (the current density when there is no forecast).</param>
public sealed record Assessment(PlaceSlot Slot, RiskLevel Observed, IReadOnlyList<Trigger> Triggers, RiskLevel Held, double Trend, Peak Peak)
{
    /// <summary>The level to warn of: the highest trigger's, None when nothing fired.</summary>
    public RiskLevel Level => Triggers.Count == 0 ? RiskLevel.None : Triggers[0].Level;

    /// <summary>The leading trigger, if any.</summary>
    public Trigger? Leading => Triggers.Count == 0 ? null : Triggers[0];
}
