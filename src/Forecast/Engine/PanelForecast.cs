namespace CrowdWatch.Forecast.Engine;

/// <summary>
/// Forecasts of every place of a panel from one origin: per place and horizon (index 0 is one slot ahead) the
/// expected count, its 80%, 90% and 95% intervals (NaN until the model's errors are known), and the probability of
/// reaching each of the place's danger levels.
/// </summary>
/// <param name="Origin">The number of slots the history had: horizon 1 is slot <c>Origin</c> of the panel.</param>
/// <param name="Mean">Expected counts, [place][horizon - 1].</param>
/// <param name="Low80">Lower ends of the 80% intervals.</param>
/// <param name="High80">Upper ends of the 80% intervals.</param>
/// <param name="Low90">Lower ends of the 90% intervals.</param>
/// <param name="High90">Upper ends of the 90% intervals.</param>
/// <param name="Low95">Lower ends of the 95% intervals.</param>
/// <param name="High95">Upper ends of the 95% intervals.</param>
/// <param name="Exceedance">[place][horizon - 1][level]: probability of reaching the level (empty when the place has none).</param>
public sealed record PanelForecast(int Origin, double[][] Mean, double[][] Low80, double[][] High80, double[][] Low90, double[][] High90,
    double[][] Low95, double[][] High95, double[][][] Exceedance)
{
    /// <summary>Number of horizons.</summary>
    public int Horizons => Mean.Length == 0 ? 0 : Mean[0].Length;
}
