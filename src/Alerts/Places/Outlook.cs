namespace CrowdWatch.Alerts.Places;

/// <summary>A place's forecast for the next slots, as the forecast engine gives it.</summary>
/// <param name="IssuedMs">Start of the first forecast slot, Unix ms.</param>
/// <param name="SlotMinutes">Slot length.</param>
/// <param name="Mean">People per horizon (index 0 = the next slot).</param>
/// <param name="Low">Lower end of the prediction interval per horizon.</param>
/// <param name="High">Upper end of the prediction interval per horizon.</param>
/// <param name="Exceedance">Per horizon, the probability of reaching each warning level, Blue..Red (empty when unknown).</param>
/// <param name="Coverage">The share of outcomes the interval holds, for example 0.9.</param>
/// <param name="SearchRatio">For an outlook led by map searches, their ratio to usual (NaN for the forecast engine's).</param>
public sealed record Outlook(long IssuedMs, int SlotMinutes, double[] Mean, double[] Low, double[] High, double[][] Exceedance, double Coverage = 0.9,
    double SearchRatio = double.NaN)
{
    /// <summary>Number of horizons.</summary>
    public int Horizons => Mean.Length;

    /// <summary>Start of horizon <paramref name="h"/> (0-based), Unix ms.</summary>
    public long At(int h) => IssuedMs + ((long)h * SlotMinutes * 60_000);

    /// <summary>
    /// The outlook the searches lead to, issued at <paramref name="issuedMs"/>: their expectation with its 80%
    /// log-normal band (e^±1.2816σ) and level probabilities.
    /// </summary>
    public static Outlook FromSearchLead(Forecast.Models.SearchLeadForecast lead, long issuedMs, int slotMinutes)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var spread = Math.Exp(1.2816 * lead.Sigma);
        return new Outlook(issuedMs, slotMinutes, lead.Mean, [.. lead.Mean.Select(m => m / spread)], [.. lead.Mean.Select(m => m * spread)], lead.Exceedance, 0.8, lead.Ratio);
    }
}
