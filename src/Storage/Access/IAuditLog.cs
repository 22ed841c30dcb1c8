namespace CrowdWatch.Storage.Access;

/// <summary>The append-only record of who saw and did what, kept for the inquiry after an incident.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry; it is durable when the call returns.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries in [fromMs, toMs), oldest first, optionally of one actor only.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromMs, long toMs, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes entries before <paramref name="beforeMs"/> (only where an operator configured a retention); returns how many.</summary>
    Task<long> DeleteAuditBeforeAsync(long beforeMs, CancellationToken cancellationToken = default);
}
