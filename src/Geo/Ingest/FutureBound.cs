namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// The latest record time an ingest takes: the host's clock plus a tolerance for devices whose clocks run ahead.
/// A record dated later cannot be a real observation, and taking it would move a long-lived binner's watermark past
/// every real record to come (each then refused as late until a restart), so it is refused as <c>future</c>.
/// </summary>
/// <param name="Clock">The host's clock (a replay's clock while it replays).</param>
/// <param name="Ahead">How far ahead of the clock a record may be dated.</param>
public sealed record FutureBound(TimeProvider Clock, TimeSpan Ahead)
{
    /// <summary>Reason code of a refused record.</summary>
    public const string Reason = "future";

    /// <summary>The latest record time taken now, Unix ms.</summary>
    public long NotAfterMs => Clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)Ahead.TotalMilliseconds;

    /// <summary>What a refused record is told.</summary>
    public string Describe(long unixMs, long notAfterMs) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{DateTimeOffset.FromUnixTimeMilliseconds(unixMs):yyyy-MM-ddTHH:mm:ssZ} is more than {Ahead.TotalMinutes:0.#} min ahead of the host's clock; expected a time up to {DateTimeOffset.FromUnixTimeMilliseconds(notAfterMs):yyyy-MM-ddTHH:mm:ssZ}");
}
