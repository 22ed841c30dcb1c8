namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// One model's forecasts of a whole panel (every place summed) across a test window, against what happened: what a
/// planner reads off a holiday or event night, the crowd at its peak.
/// </summary>
/// <param name="SlotStartMs">Each test slot's UTC start, Unix ms.</param>
/// <param name="Actual">Observed, summed over the places observed at that slot.</param>
/// <param name="Ahead1">Forecast from the latest origin before the slot (1 to <paramref name="Step"/> slots ahead), over the same places.</param>
/// <param name="AheadLead">Forecast from the latest origin at least <paramref name="Lead"/> slots before the slot (<paramref name="Lead"/> to
/// <paramref name="Lead"/> + <paramref name="Step"/> - 1 ahead), over the same places.</param>
/// <param name="Lead">Fewest slots ahead of <paramref name="AheadLead"/>.</param>
/// <param name="Step">Slots between origins: with 1, <paramref name="Ahead1"/> is exactly one slot ahead.</param>
public sealed record PanelTotals(long[] SlotStartMs, double[] Actual, double[] Ahead1, double[] AheadLead, int Lead, int Step);
