namespace CrowdWatch.Dashboard.Storage;

/// <summary>The append-only record of who saw and did what, kept for the inquiry after an incident.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry; it is durable when the call returns.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries in [fromMs, toMs), oldest first, optionally of one actor only.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromMs, long toMs, string? actor = null, CancellationToken cancellationToken = default);
}
