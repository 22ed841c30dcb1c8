using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Tests.Camara;

/// <summary>A count store whose reads fail with the exception the test sets (the store away, a read out of time, a bug).</summary>
internal sealed class FailingCounts(ICountStore inner) : ICountStore
{
    public Exception? Failure { get; set; }

    public Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default) => inner.WriteAsync(batch, cancellationToken);

    public Task<IReadOnlyList<CountRecord>> ReadAsync(CountQuery query, CancellationToken cancellationToken = default) =>
        Failure is { } e ? Task.FromException<IReadOnlyList<CountRecord>>(e) : inner.ReadAsync(query, cancellationToken);

    public Task<IReadOnlyList<ZoneCountRecord>> ReadZoneAsync(ZoneQuery query, CancellationToken cancellationToken = default) => inner.ReadZoneAsync(query, cancellationToken);

    public Task<IReadOnlyList<long>> SlotsOfSourceAsync(string area, string source, CancellationToken cancellationToken = default) => inner.SlotsOfSourceAsync(area, source, cancellationToken);

    public Task<long> DeleteBeforeAsync(long beforeMs, CancellationToken cancellationToken = default) => inner.DeleteBeforeAsync(beforeMs, cancellationToken);
}
