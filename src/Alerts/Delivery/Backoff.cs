namespace CrowdWatch.Alerts.Delivery;

/// <summary>Exponential backoff between delivery attempts: first, first x 2, x 4, ... up to a ceiling.</summary>
/// <param name="FirstMs">Wait after the first failure.</param>
/// <param name="MaxMs">Longest wait: a receiver that is down for hours is still tried this often.</param>
public sealed record Backoff(long FirstMs = 1_000, long MaxMs = 60_000)
{
    /// <summary>The wait after the failed attempt number <paramref name="attempts"/> (1 for the first failure).</summary>
    public long Delay(int attempts)
    {
        var shift = Math.Clamp(attempts - 1, 0, 30);
        var delay = FirstMs * (1L << shift);
        return delay <= 0 || delay > MaxMs ? MaxMs : delay;
    }
}
