using CrowdWatch.Storage.Sinks;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) outbox of CAMARA sink deliveries.</summary>
public sealed class SqliteSinkOutbox(SqliteDatabase db) : ISinkOutbox
{
    private const string Columns = SinkDelivery.Columns;

    /// <inheritdoc />
    public async Task AcceptAsync(SinkDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "INSERT INTO sink_delivery (operation_id, api, request, sink, token, correlator, accepted, next_attempt) VALUES ($id, $api, $request, $sink, $token, $correlator, $accepted, $accepted)");
        command.Parameters.AddWithValue("$id", delivery.OperationId);
        command.Parameters.AddWithValue("$api", delivery.Api);
        command.Parameters.AddWithValue("$request", delivery.Request);
        command.Parameters.AddWithValue("$sink", delivery.Sink);
        command.Parameters.AddWithValue("$token", (object?)delivery.Token ?? DBNull.Value);
        command.Parameters.AddWithValue("$correlator", (object?)delivery.Correlator ?? DBNull.Value);
        command.Parameters.AddWithValue("$accepted", delivery.AcceptedMs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SinkDelivery>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"UPDATE sink_delivery SET next_attempt = $until WHERE operation_id IN (SELECT operation_id FROM sink_delivery WHERE delivered IS NULL AND next_attempt <= $now ORDER BY next_attempt LIMIT $limit) RETURNING {Columns}");
        command.Parameters.AddWithValue("$until", nowMs + leaseMs);
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        return await DbRows.ListAsync(command, SinkDelivery.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task AnsweredAsync(string operationId, string payload, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET payload = $value WHERE operation_id = $id", operationId, payload, null, cancellationToken);

    /// <inheritdoc />
    public Task DeliveredAsync(string operationId, long atMs, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET delivered = $at, token = NULL, attempts = attempts + 1, last_error = NULL WHERE operation_id = $id", operationId, null, atMs, cancellationToken);

    /// <inheritdoc />
    public Task FailedAsync(string operationId, string error, long nextAttemptMs, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET attempts = attempts + 1, last_error = $value, next_attempt = $at WHERE operation_id = $id", operationId, error, nextAttemptMs, cancellationToken);

    /// <inheritdoc />
    public async Task<SinkDelivery?> FindAsync(string operationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {Columns} FROM sink_delivery WHERE operation_id = $id");
        command.Parameters.AddWithValue("$id", operationId);
        return (await DbRows.ListAsync(command, SinkDelivery.Read, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private async Task ExecuteAsync(string sql, string operationId, string? value, long? at, CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, sql);
        command.Parameters.AddWithValue("$id", operationId);
        if (sql.Contains("$value", StringComparison.Ordinal)) command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        if (sql.Contains("$at", StringComparison.Ordinal)) command.Parameters.AddWithValue("$at", (object?)at ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
