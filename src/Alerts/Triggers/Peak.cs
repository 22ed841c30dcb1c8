namespace CrowdWatch.Alerts.Triggers;

/// <summary>The highest density expected at a place within the forecast horizon, when, and the forecast's interval around it.</summary>
/// <param name="Density">Expected peak density, persons/m².</param>
/// <param name="AtMs">When, Unix ms.</param>
/// <param name="Low">Lower end of the interval, persons/m².</param>
/// <param name="High">Upper end of the interval, persons/m².</param>
public readonly record struct Peak(double Density, long AtMs, double Low, double High)
{
    /// <summary>No peak ahead is known (no forecast).</summary>
    public static Peak None { get; } = new(double.NaN, 0, double.NaN, double.NaN);

    /// <summary>Whether a forecast gave this peak.</summary>
    public bool Known => AtMs > 0 && !double.IsNaN(Density);
}
