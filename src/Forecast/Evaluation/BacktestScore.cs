namespace CrowdWatch.Forecast.Evaluation;

/// <summary>How one model did at one horizon over a backtest.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Horizon">Slots ahead, 1 for the next slot.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Mape">Mean absolute percentage error (slots above <see cref="Scores.MapeFloor"/>), percent.</param>
/// <param name="Pairs">Forecast and actual pairs scored.</param>
public sealed record BacktestScore(string Model, int Horizon, double Rmse, double Mae, double Mape, int Pairs);
