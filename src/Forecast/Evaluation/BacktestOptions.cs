namespace CrowdWatch.Forecast.Evaluation;

/// <summary>How a backtest runs.</summary>
public sealed record BacktestOptions
{
    /// <summary>Slot index where the test window starts; the models learn from the slots before it only.</summary>
    public required int TestStart { get; init; }

    /// <summary>How many slots ahead each origin forecasts.</summary>
    public int Horizons { get; init; } = 48;

    /// <summary>Slots between origins.</summary>
    public int OriginStep { get; init; } = 4;

    /// <summary>Days at the end of the training held out to calibrate the intervals (and the rolling window afterwards).</summary>
    public int CalibrationDays { get; init; } = 7;

    /// <summary>Factor on the error scale for holiday days of a kind the history has not seen (see <see cref="Engine.ForecastEngineOptions.UnprecedentedWidening"/>).</summary>
    public double UnprecedentedWidening { get; init; } = 2;

    /// <summary>Per place, its danger levels as counts (lowest first), for the Brier score; null for none.</summary>
    public IReadOnlyList<double[]>? Levels { get; init; }

    /// <summary>Places (panel indices) whose forecasts are kept as traces for charts.</summary>
    public IReadOnlyList<int> Traced { get; init; } = [];

    /// <summary>Lead of the traces, in slots.</summary>
    public int TraceLead { get; init; } = 4;
}
