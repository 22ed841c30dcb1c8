using System.Globalization;
using CrowdWatch.Alerts.Storage;
using Microsoft.Data.Sqlite;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of alert events with their outbox, written together.</summary>
public sealed class SqliteAlertStore(SqliteDatabase db) : IAlertStore
{
    // An outbox row as DbRows.Outbox reads it.
    private const string OutboxColumns = "id, alert_id, sequence, channel, recipient, payload, attempts, next_attempt, last_error";

    /// <inheritdoc />
    public async Task RecordAsync(AlertEvent alertEvent, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var record = Command(connection, tx,
            "INSERT INTO alert_event (alert_id, sequence, at, kind, area, place, level, actor, note, message, state) "
            + "VALUES ($id, $seq, $at, $kind, $area, $place, $level, $actor, $note, $message, $state)"))
        {
            var e = alertEvent;
            record.Parameters.AddWithValue("$id", e.AlertId.ToString());
            record.Parameters.AddWithValue("$seq", e.Sequence);
            record.Parameters.AddWithValue("$at", e.AtMs);
            record.Parameters.AddWithValue("$kind", e.Kind);
            record.Parameters.AddWithValue("$area", e.Area);
            record.Parameters.AddWithValue("$place", e.Place);
            record.Parameters.AddWithValue("$level", e.Level);
            record.Parameters.AddWithValue("$actor", e.Actor);
            record.Parameters.AddWithValue("$note", (object?)e.Note ?? DBNull.Value);
            record.Parameters.AddWithValue("$message", (object?)e.Message ?? DBNull.Value);
            record.Parameters.AddWithValue("$state", (object?)e.State ?? DBNull.Value);
            try
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException x) when (x.SqliteErrorCode == 19)
            {
                throw new AlertConflictException($"alert {e.AlertId} already has event {e.Sequence}", x);
            }
        }

        await OpenPlaceAsync(connection, tx, alertEvent, cancellationToken).ConfigureAwait(false);

        foreach (var m in messages)
        {
            await using var queue = Command(connection, tx,
                "INSERT INTO outbox (alert_id, sequence, channel, recipient, payload, next_attempt) VALUES ($id, $seq, $channel, $to, $payload, $next)");
            queue.Parameters.AddWithValue("$id", alertEvent.AlertId.ToString());
            queue.Parameters.AddWithValue("$seq", alertEvent.Sequence);
            queue.Parameters.AddWithValue("$channel", m.Channel);
            queue.Parameters.AddWithValue("$to", m.Recipient);
            queue.Parameters.AddWithValue("$payload", m.Payload);
            queue.Parameters.AddWithValue("$next", m.NextAttemptMs);
            await queue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // A raise takes its place's row (refused while another alert holds it); an end gives the row back.
    private static async Task OpenPlaceAsync(SqliteConnection connection, SqliteTransaction tx, AlertEvent e, CancellationToken cancellationToken)
    {
        var sql = e.Kind switch
        {
            "raised" => "INSERT INTO open_place (area, place, alert_id) VALUES ($area, $place, $id)",
            "resolved" or "expired" => "DELETE FROM open_place WHERE area = $area AND place = $place AND alert_id = $id",
            _ => null,
        };
        if (sql is null) return;
        await using var command = Command(connection, tx, sql);
        command.Parameters.AddWithValue("$area", e.Area);
        command.Parameters.AddWithValue("$place", e.Place);
        command.Parameters.AddWithValue("$id", e.AlertId.ToString());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException x) when (x.SqliteErrorCode == 19)
        {
            throw new AlertConflictException($"place {e.Place} of area {e.Area} already has an open alert; alert {e.AlertId} was not raised", x);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> EventsAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT sequence, at, kind, area, place, level, actor, note, message, state FROM alert_event WHERE alert_id = $id ORDER BY sequence");
        command.Parameters.AddWithValue("$id", alertId.ToString());
        return await DbRows.ListAsync(command, reader => DbRows.Event(reader, alertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> OpenAlertsAsync(string? area = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT e.sequence, e.at, e.kind, e.area, e.place, e.level, e.actor, e.note, e.message, e.state, e.alert_id FROM alert_event e "
            + "WHERE e.sequence = (SELECT max(sequence) FROM alert_event m WHERE m.alert_id = e.alert_id) "
            + "AND e.kind NOT IN ('resolved', 'expired') AND ($area IS NULL OR e.area = $area) ORDER BY e.at DESC, e.alert_id");
        command.Parameters.AddWithValue("$area", (object?)area ?? DBNull.Value);
        return await DbRows.ListAsync(command, reader => DbRows.Event(reader, Guid.Parse(reader.GetString(10)), Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT {OutboxColumns} FROM outbox "
            + "WHERE delivered_at IS NULL AND next_attempt <= $now ORDER BY next_attempt, id LIMIT $limit");
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        return await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        // One transaction holding the file's write lock: two dispatchers claiming at once take turns.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, tx,
            "UPDATE outbox SET next_attempt = $lease WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt <= $now ORDER BY next_attempt, id LIMIT $limit) "
            + $"RETURNING {OutboxColumns}");
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$lease", nowMs + leaseMs);
        var claimed = await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. claimed.OrderBy(m => m.Id)];
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(long messageId, long atMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE outbox SET delivered_at = $at, attempts = attempts + 1 WHERE id = $id");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$at", atMs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAlertsBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var old = Command(connection, tx,
            "CREATE TEMP TABLE old_alert AS SELECT alert_id FROM alert_event GROUP BY alert_id HAVING max(at) < $before"))
        {
            old.Parameters.AddWithValue("$before", beforeMs);
            await old.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long alerts = 0;
        foreach (var sql in new[] { "DELETE FROM outbox WHERE alert_id IN (SELECT alert_id FROM old_alert)", "DELETE FROM open_place WHERE alert_id IN (SELECT alert_id FROM old_alert)",
                     "DELETE FROM alert_event WHERE alert_id IN (SELECT alert_id FROM old_alert)", "SELECT count(*) FROM old_alert", "DROP TABLE old_alert" })
        {
            await using var step = Command(connection, tx, sql);
            if (sql.StartsWith("SELECT", StringComparison.Ordinal)) alerts = Convert.ToInt64(await step.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            else await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return alerts;
    }

    /// <inheritdoc />
    public async Task FailedAsync(long messageId, string error, long nextAttemptMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE outbox SET attempts = attempts + 1, last_error = $error, next_attempt = $next WHERE id = $id");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$next", nextAttemptMs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
