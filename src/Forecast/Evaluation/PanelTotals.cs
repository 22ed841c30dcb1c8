namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// One model's forecasts of a whole panel (every place summed) across a test window, against what happened: what a
/// planner reads off a holiday or event night, the crowd at its peak.
/// </summary>
/// <param name="SlotStartMs">Each test slot's UTC start, Unix ms.</param>
/// <param name="Actual">Observed, summed over the places observed at that slot.</param>
/// <param name="Ahead1">Forecast one slot ahead, over the same places.</param>
/// <param name="AheadLead">Forecast <paramref name="Lead"/> slots ahead, over the same places.</param>
/// <param name="Lead">Slots ahead of <paramref name="AheadLead"/>.</param>
public sealed record PanelTotals(long[] SlotStartMs, double[] Actual, double[] Ahead1, double[] AheadLead, int Lead);
