using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>How the host keeps forecasts fresh (configuration section <c>Forecast</c>).</summary>
public sealed class ForecastOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Forecast";

    /// <summary>Whether the host forecasts at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The model: lightgbm, fasttree, ssa, historical-average, ensemble ...</summary>
    [Required]
    public string Model { get; set; } = "lightgbm";

    /// <summary>Slots ahead.</summary>
    [Range(1, 672)]
    public int Horizons { get; set; } = 48;

    /// <summary>Days of the store's history fitted on.</summary>
    [Range(7, 400)]
    public int HistoryDays { get; set; } = 56;

    /// <summary>Fewest days of history before the first fit (the engine holds a week out to calibrate).</summary>
    [Range(9, 400)]
    public int MinimumHistoryDays { get; set; } = 14;

    /// <summary>Hours between refits; forecasts are refreshed every slot in between.</summary>
    [Range(1, 24 * 31)]
    public int RefitHours { get; set; } = 24;
}
