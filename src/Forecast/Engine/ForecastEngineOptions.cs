namespace CrowdWatch.Forecast.Engine;

/// <summary>How the engine fits, calibrates and forecasts.</summary>
public sealed record ForecastEngineOptions
{
    /// <summary>How many slots ahead it forecasts (48 fifteen-minute slots: 12 hours).</summary>
    public int Horizons { get; init; } = 48;

    /// <summary>
    /// Days at the end of the training that are held out to learn the model's errors before it goes live, and the
    /// window of recent errors its intervals are calibrated on afterwards.
    /// </summary>
    public int CalibrationDays { get; init; } = 7;

    /// <summary>Slots between the origins of the calibration forecasts.</summary>
    public int CalibrationStep { get; init; } = 4;

    /// <summary>
    /// Most place-origins forecast for calibration: a city of many cells calibrates from fewer origins (each holding
    /// errors of every cell), so that calibration costs about the same whatever the size.
    /// </summary>
    public int CalibrationBudget { get; init; } = 100_000;

    /// <summary>Whether the model is fitted again on the whole training after calibration (better forecasts, twice the fitting time).</summary>
    public bool Refit { get; init; } = true;

    /// <summary>
    /// Factor on the error scale for slots on a holiday when the history holds no holiday: the errors calibrated on
    /// ordinary days say little about a day unlike any the model has seen (the sample city's first day of National
    /// Day is missed by three quarters of the ordinary 80% intervals half a day ahead). 1 turns it off.
    /// </summary>
    public double UnprecedentedWidening { get; init; } = 2;
}
