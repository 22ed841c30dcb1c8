namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// What a model forecast for one place across the test window, at least <see cref="Lead"/> slots ahead (each slot
/// from the latest origin that far back), with what happened: the stuff of forecast-against-actual charts.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Key">The place.</param>
/// <param name="Lead">Slots ahead the forecasts were made, at least.</param>
/// <param name="SlotStartMs">UTC start of each slot, Unix ms.</param>
/// <param name="Actual">What happened.</param>
/// <param name="Mean">The forecasts.</param>
/// <param name="Low80">Lower ends of the 80% intervals.</param>
/// <param name="High80">Upper ends of the 80% intervals.</param>
/// <param name="Low95">Lower ends of the 95% intervals.</param>
/// <param name="High95">Upper ends of the 95% intervals.</param>
public sealed record BacktestTrace(string Model, string Key, int Lead, long[] SlotStartMs, double[] Actual, double[] Mean,
    double[] Low80, double[] High80, double[] Low95, double[] High95);
