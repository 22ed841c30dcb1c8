namespace CrowdWatch.Geo.Storage;

/// <summary>
/// Where binned counts are kept: the embedded store or PostgreSQL. A write is one transaction; values read are summed
/// over the sources that wrote them.
/// </summary>
public interface ICountStore
{
    /// <summary>Writes a batch atomically, replacing what its source wrote before for the same slots.</summary>
    Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The counts matching a query, ordered by slot and cell, summed over sources; zero cells are absent.</summary>
    Task<IReadOnlyList<CountRecord>> ReadAsync(CountQuery query, CancellationToken cancellationToken = default);

    /// <summary>A zone's totals over a window, in slot order, summed over sources; slots with a zero total are absent.</summary>
    Task<IReadOnlyList<ZoneCountRecord>> ReadZoneAsync(ZoneQuery query, CancellationToken cancellationToken = default);

    /// <summary>The slots a source has written for an area, in order.</summary>
    Task<IReadOnlyList<long>> SlotsOfSourceAsync(string area, string source, CancellationToken cancellationToken = default);

    /// <summary>Deletes counts of slots that start before <paramref name="beforeMs"/>; returns how many rows went.</summary>
    Task<long> DeleteBeforeAsync(long beforeMs, CancellationToken cancellationToken = default);
}
