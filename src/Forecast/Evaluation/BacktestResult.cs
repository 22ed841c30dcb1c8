namespace CrowdWatch.Forecast.Evaluation;

/// <summary>A backtest's scores (per model and horizon) and the traces kept for charts.</summary>
/// <param name="Scores">Per model and horizon, over every series (every channel pooled).</param>
/// <param name="Traces">Per model and traced place.</param>
/// <param name="ByChannel">Where the panel's places carry several channels, the scores of each channel alone; empty otherwise.</param>
/// <param name="Timings">Per model, the time to fit and calibrate it and the time in all (fit and every origin).</param>
/// <param name="Totals">Per model, its forecasts of the whole panel against what happened, slot by slot.</param>
public sealed record BacktestResult(IReadOnlyList<BacktestScore> Scores, IReadOnlyList<BacktestTrace> Traces,
    IReadOnlyDictionary<string, IReadOnlyList<BacktestScore>> ByChannel, IReadOnlyDictionary<string, (TimeSpan Fit, TimeSpan Total)> Timings,
    IReadOnlyDictionary<string, PanelTotals> Totals);
