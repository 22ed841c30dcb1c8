using CrowdWatch.Forecast.Storage;
using Npgsql;
using NpgsqlTypes;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of forecast runs and their values.</summary>
public sealed class PostgresForecastStore(PostgresDatabase db) : IForecastStore
{
    /// <inheritdoc />
    public async Task SaveRunAsync(ForecastRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await db.IdOf(connection, tx, "area", run.Area, null, looked, cancellationToken).ConfigureAwait(false);
        await using (var head = new NpgsqlCommand("INSERT INTO forecast_run (id, area_id, issued_at, origin_slot, model) VALUES ($1, $2, $3, $4, $5)", connection, tx))
        {
            head.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.Id });
            head.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            head.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(run.IssuedMs) });
            head.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(run.OriginSlotMs) });
            head.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Model });
            await head.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY forecast_value (run_id, is_zone, place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var v in run.Values)
            {
                copy.StartRow();
                copy.Write(run.Id, NpgsqlDbType.Uuid);
                copy.Write(v.IsZone, NpgsqlDbType.Boolean);
                copy.Write(v.Place, NpgsqlDbType.Text);
                copy.Write(v.Horizon, NpgsqlDbType.Integer);
                copy.Write(Utc(v.TargetSlotMs), NpgsqlDbType.TimestampTz);
                foreach (var x in new[] { v.Mean, v.Low80, v.High80, v.Low95, v.High95 }) copy.Write(x, NpgsqlDbType.Double);
                copy.Write(v.Exceedance.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, id) in looked) db.Ids.TryAdd(key, id);
    }

    /// <inheritdoc />
    public async Task<ForecastRun?> LatestRunAsync(string area, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT r.id, r.issued_at, r.origin_slot, r.model FROM forecast_run r JOIN area a ON a.id = r.area_id WHERE a.name = $1 ORDER BY r.issued_at DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ForecastRun(reader.GetGuid(0), area, Ms(reader.GetFieldValue<DateTime>(1)), Ms(reader.GetFieldValue<DateTime>(2)), reader.GetString(3), [])
            : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ForecastValue>> ValuesAsync(Guid runId, string place, bool isZone, CancellationToken cancellationToken = default) =>
        ForecastValuesAsync(runId, isZone, "place = $3 ORDER BY horizon", new NpgsqlParameter<string> { TypedValue = place }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ForecastValue>> SlotValuesAsync(Guid runId, long targetSlotMs, bool isZone, CancellationToken cancellationToken = default) =>
        ForecastValuesAsync(runId, isZone, "target_slot = $3 ORDER BY place", new NpgsqlParameter<DateTime> { TypedValue = Utc(targetSlotMs) }, cancellationToken);

    // A run's values for one place (by horizon) or one target slot (by place).
    private async Task<IReadOnlyList<ForecastValue>> ForecastValuesAsync(Guid runId, bool isZone, string where, NpgsqlParameter key, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance FROM forecast_value WHERE run_id = $1 AND is_zone = $2 AND " + where);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = isZone });
        command.Parameters.Add(key);
        return await DbRows.ListAsync(command, reader =>
            new ForecastValue(reader.GetString(0), isZone, reader.GetInt32(1), Ms(reader.GetFieldValue<DateTime>(2)), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetFieldValue<double[]>(8)), cancellationToken).ConfigureAwait(false);
    }
}
