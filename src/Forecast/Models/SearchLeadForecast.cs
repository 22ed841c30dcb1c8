namespace CrowdWatch.Forecast.Models;

/// <summary>What the searches say of one place's next hours.</summary>
/// <param name="Ratio">The last hours' searches over their usual.</param>
/// <param name="Factor">The expected counts over their usual: e^α r^β.</param>
/// <param name="Mean">Expected counts per slot ahead (index 0: the next slot).</param>
/// <param name="Exceedance">Per slot ahead, the probability of reaching each level asked.</param>
/// <param name="Sigma">The log-normal spread used.</param>
public sealed record SearchLeadForecast(double Ratio, double Factor, double[] Mean, double[][] Exceedance, double Sigma);
