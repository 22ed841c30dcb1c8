using CrowdWatch.Forecast.Storage;
using Microsoft.Data.Sqlite;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of forecast runs and their values.</summary>
public sealed class SqliteForecastStore(SqliteDatabase db) : IForecastStore
{
    /// <inheritdoc />
    public async Task SaveRunAsync(ForecastRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var areaId = await IdOf(connection, tx, "area", run.Area, null, cancellationToken).ConfigureAwait(false);
        await using (var head = Command(connection, tx, "INSERT INTO forecast_run (id, area_id, issued_at, origin_slot, model) VALUES ($id, $area, $issued, $origin, $model)"))
        {
            head.Parameters.AddWithValue("$id", run.Id.ToString());
            head.Parameters.AddWithValue("$area", areaId);
            head.Parameters.AddWithValue("$issued", run.IssuedMs);
            head.Parameters.AddWithValue("$origin", run.OriginSlotMs);
            head.Parameters.AddWithValue("$model", run.Model);
            await head.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insert = Command(connection, tx,
            "INSERT INTO forecast_value (run_id, is_zone, place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance) "
            + "VALUES ($run, $zone, $place, $h, $target, $mean, $l80, $h80, $l95, $h95, $exceed)");
        insert.Parameters.AddWithValue("$run", run.Id.ToString());
        // No declared types: each binding takes its value's, so numbers stay numbers.
        var p = new[] { "$zone", "$place", "$h", "$target", "$mean", "$l80", "$h80", "$l95", "$h95", "$exceed" }
            .Select(n => insert.Parameters.AddWithValue(n, DBNull.Value)).ToArray();
        insert.Prepare();
        foreach (var v in run.Values)
        {
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value) = (v.IsZone ? 1 : 0, v.Place, v.Horizon, v.TargetSlotMs, v.Mean);
            (p[5].Value, p[6].Value, p[7].Value, p[8].Value) = (v.Low80, v.High80, v.Low95, v.High95);
            p[9].Value = System.Text.Json.JsonSerializer.Serialize(v.Exceedance);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ForecastRun?> LatestRunAsync(string area, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT r.id, r.issued_at, r.origin_slot, r.model FROM forecast_run r JOIN area a ON a.id = r.area_id WHERE a.name = $area ORDER BY r.issued_at DESC LIMIT 1");
        command.Parameters.AddWithValue("$area", area);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ForecastRun(Guid.Parse(reader.GetString(0)), area, reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), [])
            : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ForecastValue>> ValuesAsync(Guid runId, string place, bool isZone, CancellationToken cancellationToken = default) =>
        ForecastValuesAsync(runId, isZone, "place = $key ORDER BY horizon", place, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ForecastValue>> SlotValuesAsync(Guid runId, long targetSlotMs, bool isZone, CancellationToken cancellationToken = default) =>
        ForecastValuesAsync(runId, isZone, "target_slot = $key ORDER BY place", targetSlotMs, cancellationToken);

    // A run's values for one place (by horizon) or one target slot (by place).
    private async Task<IReadOnlyList<ForecastValue>> ForecastValuesAsync(Guid runId, bool isZone, string where, object key, CancellationToken cancellationToken)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance FROM forecast_value WHERE run_id = $run AND is_zone = $zone AND " + where);
        command.Parameters.AddWithValue("$run", runId.ToString());
        command.Parameters.AddWithValue("$zone", isZone ? 1 : 0);
        command.Parameters.AddWithValue("$key", key);
        return await DbRows.ListAsync(command, reader =>
            new ForecastValue(reader.GetString(0), isZone, reader.GetInt32(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), System.Text.Json.JsonSerializer.Deserialize<double[]>(reader.GetString(8)) ?? []), cancellationToken).ConfigureAwait(false);
    }
}
