using CrowdWatch.Storage.Access;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of who saw and did what.</summary>
public sealed class SqliteAuditLog(SqliteDatabase db) : IAuditLog
{
    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail)");
        command.Parameters.AddWithValue("$at", entry.AtMs);
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$target", entry.Target);
        command.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromMs, long toMs, string? actor = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT at, actor, action, target, detail FROM audit WHERE at >= $from AND at < $to AND ($actor IS NULL OR actor = $actor) ORDER BY at, id");
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        command.Parameters.AddWithValue("$actor", (object?)actor ?? DBNull.Value);
        return await DbRows.ListAsync(command, reader => DbRows.Audit(reader, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAuditBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "DELETE FROM audit WHERE at < $before");
        command.Parameters.AddWithValue("$before", beforeMs);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
