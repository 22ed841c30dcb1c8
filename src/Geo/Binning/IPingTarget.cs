namespace CrowdWatch.Geo.Binning;

/// <summary>
/// Where validated, pseudonymised pings go: a <see cref="PingBinner"/> that counts them, or the ingest log of a
/// front-end node that hands them to the partitions' workers.
/// </summary>
public interface IPingTarget
{
    /// <summary>Newest ping time taken, Unix ms (long.MinValue before the first).</summary>
    long Watermark { get; }

    /// <summary>Forgets what is held about device index <paramref name="device"/> (new, or an evicted device's index reused).</summary>
    void ResetDevice(int device);

    /// <summary>Takes a batch of pings of device indices; <paramref name="outcomes"/> receives what became of each.</summary>
    void AddBatch(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes);

    /// <summary>Ends the input.</summary>
    void Complete();
}
