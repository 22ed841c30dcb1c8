using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// A forecasting model: fitted once on training series, then asked for the next slots of any series from its history
/// alone. Every model is evaluated the same way, by the backtest.
/// </summary>
public interface IForecastModel
{
    /// <summary>A short name for tables and charts.</summary>
    string Name { get; }

    /// <summary>Learns what the model needs from the training series (which end before any test window).</summary>
    void Fit(IReadOnlyList<SlotSeries> training, SlotCalendar calendar);

    /// <summary>
    /// Point forecasts for the <paramref name="horizons"/> slots after the end of <paramref name="history"/> (index 0
    /// is one slot ahead); NaN where the model has nothing to go on.
    /// </summary>
    double[] Forecast(SlotSeries history, int horizons, SlotCalendar calendar);
}
