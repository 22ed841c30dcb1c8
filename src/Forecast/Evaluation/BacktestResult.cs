namespace CrowdWatch.Forecast.Evaluation;

/// <summary>A backtest's scores (per model and horizon) and the traces kept for charts.</summary>
/// <param name="Scores">Per model and horizon.</param>
/// <param name="Traces">Per model and traced place.</param>
public sealed record BacktestResult(IReadOnlyList<BacktestScore> Scores, IReadOnlyList<BacktestTrace> Traces);
