using CrowdWatch.Storage.Access;
using Npgsql;
using NpgsqlTypes;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of who saw and did what.</summary>
public sealed class PostgresAuditLog(PostgresDatabase db) : IAuditLog
{
    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = db.DataSource.CreateCommand("INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(entry.AtMs) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Target });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long fromMs, long toMs, string? actor = null, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT at, actor, action, target, detail FROM audit WHERE at >= $1 AND at < $2 AND ($3::text IS NULL OR actor = $3) ORDER BY at, id");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(fromMs) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(toMs) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await DbRows.ListAsync(command, reader => DbRows.Audit(reader, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAuditBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("DELETE FROM audit WHERE at < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
