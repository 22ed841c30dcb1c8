using System.Globalization;
using CrowdWatch.Alerts.Storage;
using Npgsql;
using NpgsqlTypes;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of alert events with their outbox, written together.</summary>
public sealed class PostgresAlertStore(PostgresDatabase db) : IAlertStore
{
    // An outbox row as DbRows.Outbox reads it.
    private const string OutboxColumns = "id, alert_id, sequence, channel, recipient, payload, attempts, next_attempt, last_error";

    /// <inheritdoc />
    public async Task RecordAsync(AlertEvent alertEvent, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var e = alertEvent;
        await using (var record = new NpgsqlCommand(
            "INSERT INTO alert_event (alert_id, sequence, at, kind, area, place, level, actor, note, message, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            connection, tx))
        {
            record.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.AlertId });
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.Sequence });
            record.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(e.AtMs) });
            foreach (var text in new[] { e.Kind, e.Area, e.Place, e.Level, e.Actor }) record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
            foreach (var text in new[] { e.Note, e.Message, e.State }) record.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            try
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException x) when (x.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new AlertConflictException($"alert {e.AlertId} already has event {e.Sequence}", x);
            }
        }

        await OpenPlaceAsync(connection, tx, e, cancellationToken).ConfigureAwait(false);

        foreach (var m in messages)
        {
            await using var queue = new NpgsqlCommand(
                "INSERT INTO outbox (alert_id, sequence, channel, recipient, payload, next_attempt) VALUES ($1, $2, $3, $4, $5, $6)", connection, tx);
            queue.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.AlertId });
            queue.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.Sequence });
            foreach (var text in new[] { m.Channel, m.Recipient, m.Payload }) queue.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
            queue.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(m.NextAttemptMs) });
            await queue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // A raise takes its place's row (refused while another alert holds it); an end gives the row back.
    private static async Task OpenPlaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, AlertEvent e, CancellationToken cancellationToken)
    {
        var sql = e.Kind switch
        {
            "raised" => "INSERT INTO open_place (area, place, alert_id) VALUES ($1, $2, $3)",
            "resolved" or "expired" => "DELETE FROM open_place WHERE area = $1 AND place = $2 AND alert_id = $3",
            _ => null,
        };
        if (sql is null) return;
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Area });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Place });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.AlertId });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException x) when (x.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new AlertConflictException($"place {e.Place} of area {e.Area} already has an open alert; alert {e.AlertId} was not raised", x);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> EventsAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT sequence, at, kind, area, place, level, actor, note, message, state FROM alert_event WHERE alert_id = $1 ORDER BY sequence");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = alertId });
        return await DbRows.ListAsync(command, reader => DbRows.Event(reader, alertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> OpenAlertsAsync(string? area = null, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT DISTINCT ON (alert_id) sequence, at, kind, area, place, level, actor, note, message, state, alert_id FROM alert_event "
            + "WHERE ($1::text IS NULL OR area = $1) ORDER BY alert_id, sequence DESC");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)area ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var latest = await DbRows.ListAsync(command, reader => DbRows.Event(reader, reader.GetGuid(10), Instant), cancellationToken).ConfigureAwait(false);
        return [.. latest.Where(e => e.Kind is not ("resolved" or "expired")).OrderByDescending(e => e.AtMs).ThenBy(e => e.AlertId)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            $"SELECT {OutboxColumns} FROM outbox "
            + "WHERE delivered_at IS NULL AND next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nowMs) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default)
    {
        // SKIP LOCKED: dispatchers on other nodes claiming at the same moment take other rows instead of waiting for these.
        await using var command = db.DataSource.CreateCommand(
            "WITH due AS (SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
            + "UPDATE outbox SET next_attempt = $3 WHERE id IN (SELECT id FROM due) "
            + $"RETURNING {OutboxColumns}");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nowMs) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nowMs + leaseMs) });
        var claimed = await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
        // Ids rise with the events they announce: one receiver's messages go out in the order they were written.
        return [.. claimed.OrderBy(m => m.Id)];
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(long messageId, long atMs, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE outbox SET delivered_at = $2, attempts = attempts + 1 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(atMs) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAlertsBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("""
            WITH old AS (SELECT alert_id FROM alert_event GROUP BY alert_id HAVING max(at) < $1),
            sent AS (DELETE FROM outbox WHERE alert_id IN (SELECT alert_id FROM old)),
            freed AS (DELETE FROM open_place WHERE alert_id IN (SELECT alert_id FROM old)),
            gone AS (DELETE FROM alert_event WHERE alert_id IN (SELECT alert_id FROM old) RETURNING alert_id)
            SELECT count(DISTINCT alert_id) FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task FailedAsync(long messageId, string error, long nextAttemptMs, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt = $3 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nextAttemptMs) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
