namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// How one model did at one horizon over a test window: point errors, and how its intervals and danger-level
/// probabilities held. Scores over nothing are NaN.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Horizon">Slots ahead (1 = the next slot).</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Mape">Mean absolute percentage error over slots with more than 10, in percent.</param>
/// <param name="Pairs">Forecasts scored.</param>
/// <param name="Coverage80">Share of actual values inside the 80% intervals.</param>
/// <param name="Coverage90">Share inside the 90% intervals.</param>
/// <param name="Coverage95">Share inside the 95% intervals.</param>
/// <param name="Winkler90">Mean Winkler score of the 90% intervals.</param>
/// <param name="Brier">Mean Brier score of the danger-level probabilities (NaN when no levels were given).</param>
/// <param name="Unforecast">Observed slots the model gave no forecast for (not in the scores: a table must say so).</param>
public sealed record BacktestScore(string Model, int Horizon, double Rmse, double Mae, double Mape, int Pairs,
    double Coverage80 = double.NaN, double Coverage90 = double.NaN, double Coverage95 = double.NaN, double Winkler90 = double.NaN, double Brier = double.NaN,
    int Unforecast = 0);
