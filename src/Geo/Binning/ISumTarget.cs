namespace CrowdWatch.Geo.Binning;

/// <summary>
/// Where per-cell values to be summed go (map searches): a <see cref="SumBinner"/>, or the ingest log of a front-end
/// node.
/// </summary>
public interface ISumTarget
{
    /// <summary>Adds <paramref name="value"/> to <paramref name="channel"/> of cell <paramref name="cell"/>; false if it is refused (its slot is closed).</summary>
    bool Add(long unixMs, int cell, string channel, double value);

    /// <summary>Ends the input.</summary>
    void Complete();
}
