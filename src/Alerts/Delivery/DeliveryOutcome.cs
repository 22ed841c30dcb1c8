namespace CrowdWatch.Alerts.Delivery;

/// <summary>What became of one attempt to deliver a message.</summary>
/// <param name="Delivered">Whether the receiver acknowledged it.</param>
/// <param name="Error">Why not, if not.</param>
/// <param name="RetryAtMs">When to try again, if the channel knows better than the backoff (a rate limit), Unix ms.</param>
public sealed record DeliveryOutcome(bool Delivered, string? Error = null, long? RetryAtMs = null)
{
    /// <summary>The receiver acknowledged it.</summary>
    public static DeliveryOutcome Done { get; } = new(true);

    /// <summary>It failed; try again after the backoff.</summary>
    public static DeliveryOutcome Failed(string error) => new(false, error);

    /// <summary>Not now: try again at <paramref name="atMs"/>.</summary>
    public static DeliveryOutcome Later(long atMs, string why) => new(false, why, atMs);
}
