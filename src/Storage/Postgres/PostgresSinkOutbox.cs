using CrowdWatch.Storage.Sinks;
using Npgsql;
using NpgsqlTypes;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL outbox of CAMARA sink deliveries; claims skip rows another node holds.</summary>
public sealed class PostgresSinkOutbox(PostgresDatabase db) : ISinkOutbox
{
    /// <inheritdoc />
    public async Task AcceptAsync(SinkDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var command = db.DataSource.CreateCommand(
            "INSERT INTO sink_delivery (operation_id, api, request, sink, token, correlator, accepted, next_attempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.OperationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Api });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Request });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Sink });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)delivery.Token ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)delivery.Correlator ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = delivery.AcceptedMs });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SinkDelivery>> ClaimAsync(long nowMs, int limit, long leaseMs, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            $"UPDATE sink_delivery SET next_attempt = $3 WHERE operation_id IN (SELECT operation_id FROM sink_delivery WHERE delivered IS NULL AND next_attempt <= $1 ORDER BY next_attempt LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING {SinkDelivery.Columns}");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowMs });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowMs + leaseMs });
        return await DbRows.ListAsync(command, SinkDelivery.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task AnsweredAsync(string operationId, string payload, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET payload = $2 WHERE operation_id = $1", operationId, payload, null, cancellationToken);

    /// <inheritdoc />
    public Task DeliveredAsync(string operationId, long atMs, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET delivered = $3, token = NULL, attempts = attempts + 1, last_error = $2 WHERE operation_id = $1", operationId, null, atMs, cancellationToken);

    /// <inheritdoc />
    public Task FailedAsync(string operationId, string error, long nextAttemptMs, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE sink_delivery SET attempts = attempts + 1, last_error = $2, next_attempt = $3 WHERE operation_id = $1", operationId, error, nextAttemptMs, cancellationToken);

    /// <inheritdoc />
    public async Task<SinkDelivery?> FindAsync(string operationId, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT {SinkDelivery.Columns} FROM sink_delivery WHERE operation_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operationId });
        return (await DbRows.ListAsync(command, SinkDelivery.Read, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private async Task ExecuteAsync(string sql, string operationId, string? value, long? at, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operationId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (sql.Contains("$3", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = (object?)at ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
