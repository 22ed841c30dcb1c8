using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// A forecasting model: fitted once on a training panel, then asked for the next slots of every place of a panel from
/// its history alone. Every model is evaluated the same way, by the backtest.
/// </summary>
public interface IForecastModel
{
    /// <summary>A short name for tables and charts.</summary>
    string Name { get; }

    /// <summary>Learns what the model needs from the training panel (which ends before any test window).</summary>
    void Fit(SlotPanel training, SlotCalendar calendar);

    /// <summary>
    /// Point forecasts, per place of <paramref name="history"/>, for the <paramref name="horizons"/> slots after its end
    /// (index 0 is one slot ahead); NaN where the model has nothing to go on.
    /// </summary>
    double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar);
}
