namespace CrowdWatch.Storage.Sinks;

/// <summary>
/// The CAMARA sinks' outbox: an accepted asynchronous request is stored before its 202 goes out, so neither its answer
/// nor its delivery is lost to a restart; a sender claims due deliveries for a while, so two never send one at once.
/// </summary>
public interface ISinkOutbox
{
    /// <summary>Keeps <paramref name="delivery"/>, due now.</summary>
    Task AcceptAsync(SinkDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> deliveries due at <paramref name="nowMs"/>, held by the caller until <paramref name="nowMs"/> + <paramref name="leaseMs"/>.</summary>
    Task<IReadOnlyList<SinkDelivery>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default);

    /// <summary>The answer to send, once computed.</summary>
    Task AnsweredAsync(string operationId, string payload, CancellationToken cancellationToken = default);

    /// <summary>Sent (the sink took it): kept as done, its token forgotten.</summary>
    Task DeliveredAsync(string operationId, long atMs, CancellationToken cancellationToken = default);

    /// <summary>An attempt failed: tried again at <paramref name="nextAttemptMs"/>.</summary>
    Task FailedAsync(string operationId, string error, long nextAttemptMs, CancellationToken cancellationToken = default);

    /// <summary>The delivery of <paramref name="operationId"/>, or null.</summary>
    Task<SinkDelivery?> FindAsync(string operationId, CancellationToken cancellationToken = default);
}
