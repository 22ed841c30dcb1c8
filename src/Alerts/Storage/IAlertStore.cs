namespace CrowdWatch.Alerts.Storage;

/// <summary>
/// The alert record and the delivery outbox. An event and the messages that announce it are stored in one
/// transaction, before anything is sent: a crash after the commit loses nothing, and a crash before it told no one.
/// </summary>
public interface IAlertStore
{
    /// <summary>
    /// Stores an event with its outgoing messages atomically. Throws <see cref="AlertConflictException"/> (keeping
    /// nothing) if the alert already has that sequence, or if the event raises a place of the area that already has an
    /// open alert: whichever nodes judge, a place never has two open alerts.
    /// </summary>
    Task RecordAsync(AlertEvent alertEvent, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>An alert's events in sequence order.</summary>
    Task<IReadOnlyList<AlertEvent>> EventsAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest event of every alert that is still open (its last event neither <c>resolved</c> nor <c>expired</c>),
    /// newest first, optionally of one area.
    /// </summary>
    Task<IReadOnlyList<AlertEvent>> OpenAlertsAsync(string? area = null, CancellationToken cancellationToken = default);

    /// <summary>Undelivered messages due at <paramref name="nowMs"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims at most <paramref name="limit"/> messages due at <paramref name="nowMs"/>, oldest first, for
    /// <paramref name="leaseMs"/>: until then no other dispatcher (of this process or another node) is given them,
    /// unless they are marked delivered or failed first. A dispatcher that dies holding a claim leaves its messages
    /// due again when the lease ends, so every message is delivered at least once, under the same idempotency key.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default);

    /// <summary>Marks a message delivered.</summary>
    Task DeliveredAsync(long messageId, long atMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the alerts whose last event is before <paramref name="beforeMs"/>, with their messages (only where an
    /// operator configured a retention); returns how many alerts went.
    /// </summary>
    Task<long> DeleteAlertsBeforeAsync(long beforeMs, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt and when to try again.</summary>
    Task FailedAsync(long messageId, string error, long nextAttemptMs, CancellationToken cancellationToken = default);
}
