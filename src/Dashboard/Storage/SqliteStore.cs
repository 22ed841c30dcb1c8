using System.Globalization;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Storage;

/// <summary>
/// The embedded store: one SQLite file, created with its schema on first use. Writes are transactions in write-ahead
/// logging with full sync, so a committed batch survives a killed process and a power cut alike.
/// </summary>
public sealed class SqliteStore : ICountStore, IAreaStore, IAuditLog, IApiKeys, IForecastStore, IAlertStore
{
    // How this backend keeps an instant and an alert id, for the rows both backends share (DbRows).
    private static readonly Func<System.Data.Common.DbDataReader, int, long> Instant = static (r, i) => r.GetInt64(i);
    private static readonly Func<System.Data.Common.DbDataReader, int, Guid> AlertId = static (r, i) => Guid.Parse(r.GetString(i));

    private readonly string _connectionString;

    private SqliteStore(string connectionString) => _connectionString = connectionString;

    /// <summary>The file's path.</summary>
    public required string Path { get; init; }

    /// <summary>Opens (creating if need be) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 60 };
        var store = new SqliteStore(builder.ToString()) { Path = path };
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>The schema version the file is at.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(await Scalar(connection, null, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate();
        var rows = batch.Combined();
        var zoneRows = batch.CombinedZones();
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // IMMEDIATE: the write lock is taken at the start, so two writers queue instead of failing half-way.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var areaId = await IdOf(connection, tx, "area", batch.Area, null, cancellationToken).ConfigureAwait(false);
        var sourceId = await IdOf(connection, tx, "count_source", batch.Source, areaId, cancellationToken).ConfigureAwait(false);
        var channels = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in rows.Select(r => r.Channel).Concat(zoneRows.Select(z => z.Channel)).Distinct())
            channels[name] = await IdOf(connection, tx, "channel", name, null, cancellationToken).ConfigureAwait(false);
        var zones = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in zoneRows.Select(z => z.Zone).Distinct())
            zones[name] = await IdOf(connection, tx, "zone", name, areaId, cancellationToken).ConfigureAwait(false);

        var slots = batch.Slots.Distinct().ToList();
        // The area narrows the cells' delete to a range of their key; zone totals have an index by source.
        foreach (var sql in new[] { "DELETE FROM count WHERE area_id = $area AND slot_start = $slot AND source_id = $source", "DELETE FROM zone_count WHERE source_id = $source AND slot_start = $slot" })
        {
            await using var delete = Command(connection, tx, sql);
            var slot = delete.Parameters.Add("$slot", SqliteType.Integer);
            delete.Parameters.AddWithValue("$source", sourceId);
            if (sql.Contains("$area", StringComparison.Ordinal)) delete.Parameters.AddWithValue("$area", areaId);
            foreach (var s in slots)
            {
                slot.Value = s;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var insert = Command(connection, tx,
            "INSERT INTO count (area_id, channel_id, slot_start, cell, source_id, value) VALUES ($area, $channel, $slot, $cell, $source, $value)"))
        {
            insert.Parameters.AddWithValue("$area", areaId);
            insert.Parameters.AddWithValue("$source", sourceId);
            var channel = insert.Parameters.Add("$channel", SqliteType.Integer);
            var slot = insert.Parameters.Add("$slot", SqliteType.Integer);
            var cell = insert.Parameters.Add("$cell", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Real);
            insert.Prepare();
            foreach (var row in rows)
            {
                channel.Value = channels[row.Channel];
                slot.Value = row.SlotStartMs;
                cell.Value = row.Cell;
                value.Value = row.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var insert = Command(connection, tx,
            "INSERT INTO zone_count (zone_id, channel_id, slot_start, source_id, value) VALUES ($zone, $channel, $slot, $source, $value)"))
        {
            insert.Parameters.AddWithValue("$source", sourceId);
            var zone = insert.Parameters.Add("$zone", SqliteType.Integer);
            var channel = insert.Parameters.Add("$channel", SqliteType.Integer);
            var slot = insert.Parameters.Add("$slot", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Real);
            insert.Prepare();
            foreach (var row in zoneRows)
            {
                zone.Value = zones[row.Zone];
                channel.Value = channels[row.Channel];
                slot.Value = row.SlotStartMs;
                value.Value = row.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var perSlot = SlotRows.Count(rows);
        await using (var mark = Command(connection, tx,
            "INSERT INTO count_slot (source_id, slot_start, rows, written_at) VALUES ($source, $slot, $rows, $at) "
            + "ON CONFLICT DO UPDATE SET rows = excluded.rows, written_at = excluded.written_at"))
        {
            mark.Parameters.AddWithValue("$source", sourceId);
            mark.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var slot = mark.Parameters.Add("$slot", SqliteType.Integer);
            var written = mark.Parameters.Add("$rows", SqliteType.Integer);
            foreach (var s in slots)
            {
                slot.Value = s;
                written.Value = perSlot.GetValueOrDefault(s);
                await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneCountRecord>> ReadZoneAsync(ZoneQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT c.slot_start, sum(c.value) FROM zone_count c "
            + "JOIN zone z ON z.id = c.zone_id JOIN area a ON a.id = z.area_id JOIN channel h ON h.id = c.channel_id "
            + "WHERE a.name = $area AND z.name = $zone AND h.name = $channel AND c.slot_start >= $from AND c.slot_start < $to "
            + "GROUP BY c.slot_start HAVING sum(c.value) <> 0 ORDER BY c.slot_start");
        command.Parameters.AddWithValue("$area", query.Area);
        command.Parameters.AddWithValue("$zone", query.Zone);
        command.Parameters.AddWithValue("$channel", query.Channel);
        command.Parameters.AddWithValue("$from", query.FromMs);
        command.Parameters.AddWithValue("$to", query.ToMs);
        return await DbRows.ListAsync(command, reader =>
            new ZoneCountRecord(reader.GetInt64(0), query.Channel, query.Zone, reader.GetDouble(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CountRecord>> ReadAsync(CountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var sql = "SELECT c.slot_start, c.cell, sum(c.value) FROM count c "
            + "JOIN area a ON a.id = c.area_id JOIN channel h ON h.id = c.channel_id "
            + "WHERE a.name = $area AND h.name = $channel AND c.slot_start >= $from AND c.slot_start < $to "
            + (query.Cells is null ? "" : "AND c.cell IN (SELECT value FROM json_each($cells)) ")
            + "GROUP BY c.slot_start, c.cell HAVING sum(c.value) <> 0 ORDER BY c.slot_start, c.cell";
        await using var command = Command(connection, null, sql);
        command.Parameters.AddWithValue("$area", query.Area);
        command.Parameters.AddWithValue("$channel", query.Channel);
        command.Parameters.AddWithValue("$from", query.FromMs);
        command.Parameters.AddWithValue("$to", query.ToMs);
        if (query.Cells is not null) command.Parameters.AddWithValue("$cells", "[" + string.Join(',', query.Cells) + "]");
        return await DbRows.ListAsync(command, reader =>
            new CountRecord(reader.GetInt64(0), query.Channel, reader.GetInt32(1), reader.GetDouble(2)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> SlotsOfSourceAsync(string area, string source, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT s.slot_start FROM count_slot s JOIN count_source o ON o.id = s.source_id JOIN area a ON a.id = o.area_id "
            + "WHERE a.name = $area AND o.name = $source ORDER BY s.slot_start");
        command.Parameters.AddWithValue("$area", area);
        command.Parameters.AddWithValue("$source", source);
        return await DbRows.ListAsync(command, reader => reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Per area, so that each area's old slots are one range of the key.
        await using var counts = Command(connection, tx, "DELETE FROM count WHERE area_id IN (SELECT id FROM area) AND slot_start < $before");
        counts.Parameters.AddWithValue("$before", beforeMs);
        var deleted = await counts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in new[] { "zone_count", "count_slot" })
        {
            await using var others = Command(connection, tx, $"DELETE FROM {table} WHERE slot_start < $before");
            others.Parameters.AddWithValue("$before", beforeMs);
            await others.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task SaveAreaAsync(Area area, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var areaId = await IdOf(connection, tx, "area", area.Name, null, cancellationToken).ConfigureAwait(false);
        var writer = new NetTopologySuite.IO.WKBWriter();
        var spec = area.Grid.Spec;
        await using (var grid = Command(connection, tx,
            "INSERT OR REPLACE INTO grid (area_id, epsg, origin_x, origin_y, cell_size_m, rows, cols) VALUES ($area, $epsg, $x, $y, $size, $rows, $cols)"))
        {
            grid.Parameters.AddWithValue("$area", areaId);
            grid.Parameters.AddWithValue("$epsg", spec.Epsg);
            grid.Parameters.AddWithValue("$x", spec.OriginX);
            grid.Parameters.AddWithValue("$y", spec.OriginY);
            grid.Parameters.AddWithValue("$size", spec.CellSizeM);
            grid.Parameters.AddWithValue("$rows", spec.Rows);
            grid.Parameters.AddWithValue("$cols", spec.Cols);
            await grid.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "cell", "walkable_geom" })
        {
            await using var clear = Command(connection, tx, $"DELETE FROM {table} WHERE area_id = $area");
            clear.Parameters.AddWithValue("$area", areaId);
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cells = Command(connection, tx, "INSERT INTO cell (area_id, cell, walkable_m2) VALUES ($area, $cell, $walkable)"))
        {
            cells.Parameters.AddWithValue("$area", areaId);
            var cell = cells.Parameters.Add("$cell", SqliteType.Integer);
            var walkable = cells.Parameters.Add("$walkable", SqliteType.Real);
            cells.Prepare();
            for (var id = 0; id < spec.CellCount; id++)
            {
                (cell.Value, walkable.Value) = (id, area.WalkableM2[id]);
                await cells.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var surface in area.WalkableSurfaces)
        {
            await using var save = Command(connection, tx, "INSERT INTO walkable_geom (area_id, wkb) VALUES ($area, $wkb)");
            save.Parameters.AddWithValue("$area", areaId);
            save.Parameters.AddWithValue("$wkb", writer.Write(surface));
            await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var zone = area.Zones.Zones[z];
            var zoneId = await IdOf(connection, tx, "zone", zone.Name, areaId, cancellationToken).ConfigureAwait(false);
            await using var save = Command(connection, tx,
                "INSERT INTO zone_geom (zone_id, wkb, capacity, walkable_m2) VALUES ($zone, $wkb, $capacity, $walkable) "
                + "ON CONFLICT (zone_id) DO UPDATE SET wkb = excluded.wkb, capacity = excluded.capacity, walkable_m2 = excluded.walkable_m2");
            save.Parameters.AddWithValue("$zone", zoneId);
            save.Parameters.AddWithValue("$wkb", writer.Write(zone.Geometry));
            save.Parameters.AddWithValue("$capacity", (object?)zone.Capacity ?? DBNull.Value);
            save.Parameters.AddWithValue("$walkable", area.Zones.ZoneWalkableM2(z, area.WalkableM2));
            await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredArea?> LoadAreaAsync(string area, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        GridSpec spec;
        long areaId;
        await using (var grid = Command(connection, null,
            "SELECT g.area_id, epsg, origin_x, origin_y, cell_size_m, rows, cols FROM grid g JOIN area a ON a.id = g.area_id WHERE a.name = $area"))
        {
            grid.Parameters.AddWithValue("$area", area);
            await using var reader = await grid.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            areaId = reader.GetInt64(0);
            spec = DbRows.Grid(reader, 1);
        }

        var walkable = new double[spec.CellCount];
        List<Geometry> surfaces;
        List<string> zones;
        var wkb = new NetTopologySuite.IO.WKBReader();
        await using (var command = Command(connection, null, "SELECT cell, walkable_m2 FROM cell WHERE area_id = $area"))
        {
            command.Parameters.AddWithValue("$area", areaId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) walkable[reader.GetInt32(0)] = reader.GetDouble(1);
        }

        await using (var command = Command(connection, null, "SELECT wkb FROM walkable_geom WHERE area_id = $area ORDER BY id"))
        {
            command.Parameters.AddWithValue("$area", areaId);
            surfaces = await DbRows.ListAsync(command, reader => wkb.Read((byte[])reader.GetValue(0)), cancellationToken).ConfigureAwait(false);
        }

        await using (var command = Command(connection, null, "SELECT z.name FROM zone z JOIN zone_geom g ON g.zone_id = z.id WHERE z.area_id = $area ORDER BY z.id"))
        {
            command.Parameters.AddWithValue("$area", areaId);
            zones = await DbRows.ListAsync(command, reader => reader.GetString(0), cancellationToken).ConfigureAwait(false);
        }

        return new StoredArea(spec, walkable, surfaces, zones);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ZoneOverlap>> OverlapsAsync(Area area, Geometry drawnWgs84, CancellationToken cancellationToken = default) =>
        Task.FromResult(DrawnArea.Overlaps(area, drawnWgs84));

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long SlotStartMs, double Value)>> ReadAreaAsync(Area area, Geometry drawnWgs84, string channel, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        var points = await StoredSeries.ReadAsync(this, area.Name, channel, DrawnArea.Overlaps(area, drawnWgs84), fromMs, toMs, cancellationToken).ConfigureAwait(false);
        return [.. points.Select(p => (p.SlotStartMs, p.Value))];
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT at, actor, action, target, detail FROM audit WHERE at >= $from AND at < $to AND ($actor IS NULL OR actor = $actor) ORDER BY at, id");
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        command.Parameters.AddWithValue("$actor", (object?)actor ?? DBNull.Value);
        return await DbRows.ListAsync(command, reader => DbRows.Audit(reader, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> IssueAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var secret = ApiKeySecret.New();
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO api_key (name, role, hash, created_at) VALUES ($name, $role, $hash, $at)");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$hash", ApiKeySecret.Hash(secret));
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // constraint: the name is taken
        {
            throw new ArgumentException($"an API key named '{name}' exists already; revoke it or choose another name", nameof(name), e);
        }

        return secret;
    }

    /// <inheritdoc />
    public async Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT name, role, created_at FROM api_key WHERE hash = $hash AND revoked_at IS NULL");
        command.Parameters.AddWithValue("$hash", ApiKeySecret.Hash(secret));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new ApiKey(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // A revoked key keeps its row (and its name) for the audit trail.
        await using var command = Command(connection, null, "UPDATE api_key SET revoked_at = $at WHERE name = $name AND revoked_at IS NULL");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task SaveRunAsync(ForecastRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance FROM forecast_value WHERE run_id = $run AND is_zone = $zone AND " + where);
        command.Parameters.AddWithValue("$run", runId.ToString());
        command.Parameters.AddWithValue("$zone", isZone ? 1 : 0);
        command.Parameters.AddWithValue("$key", key);
        return await DbRows.ListAsync(command, reader =>
            new ForecastValue(reader.GetString(0), isZone, reader.GetInt32(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), System.Text.Json.JsonSerializer.Deserialize<double[]>(reader.GetString(8)) ?? []), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordAsync(AlertEvent alertEvent, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
                throw new InvalidOperationException($"alert {e.AlertId} already has event {e.Sequence}", x);
            }
        }

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

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> EventsAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT sequence, at, kind, area, place, level, actor, note, message, state FROM alert_event WHERE alert_id = $id ORDER BY sequence");
        command.Parameters.AddWithValue("$id", alertId.ToString());
        return await DbRows.ListAsync(command, reader => DbRows.Event(reader, alertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> OpenAlertsAsync(string? area = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT id, alert_id, sequence, channel, recipient, payload, attempts, next_attempt, last_error FROM outbox "
            + "WHERE delivered_at IS NULL AND next_attempt <= $now ORDER BY next_attempt, id LIMIT $limit");
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        return await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(long messageId, long atMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE outbox SET delivered_at = $at, attempts = attempts + 1 WHERE id = $id");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$at", atMs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAuditBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "DELETE FROM audit WHERE at < $before");
        command.Parameters.AddWithValue("$before", beforeMs);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAlertsBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var old = Command(connection, tx,
            "CREATE TEMP TABLE old_alert AS SELECT alert_id FROM alert_event GROUP BY alert_id HAVING max(at) < $before"))
        {
            old.Parameters.AddWithValue("$before", beforeMs);
            await old.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long alerts = 0;
        foreach (var sql in new[] { "DELETE FROM outbox WHERE alert_id IN (SELECT alert_id FROM old_alert)",
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE outbox SET attempts = attempts + 1, last_error = $error, next_attempt = $next WHERE id = $id");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$next", nextAttemptMs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Applies the steps the file lacks, all in one IMMEDIATE transaction: a second instance starting at the same
    // moment waits for the lock, then finds the steps applied and does nothing.
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // Write-ahead logging lets readers go on during a bulk write; it is a property of the file, set once.
        await Scalar(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = Command(connection, tx,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)"))
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await Scalar(connection, tx, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var latest = SqliteSchema.Migrations[^1].Version;
        if (current > latest)
            throw new InvalidOperationException($"the store at {Path} is at schema version {current}, newer than this CrowdWatch knows ({latest}); upgrade CrowdWatch");
        foreach (var step in SqliteSchema.Migrations.Where(m => m.Version > current))
        {
            await using (var apply = Command(connection, tx, step.Sql)) await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection, tx, "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $at)");
            record.Parameters.AddWithValue("$v", step.Version);
            record.Parameters.AddWithValue("$d", step.Description);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Full sync: a commit is on disk before the call returns (durable before anyone is told).
        await Scalar(connection, null, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private static async Task<object?> Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, tx, sql);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    // The id of a named row, inserting it the first time; sources and zones are named within their area.
    private static async Task<long> IdOf(SqliteConnection connection, SqliteTransaction tx, string table, string name, long? areaId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, tx, areaId is null
            ? $"INSERT INTO {table} (name) VALUES ($name) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
            : $"INSERT INTO {table} (area_id, name) VALUES ($area, $name) ON CONFLICT (area_id, name) DO UPDATE SET name = excluded.name RETURNING id");
        command.Parameters.AddWithValue("$name", name);
        if (areaId is not null) command.Parameters.AddWithValue("$area", areaId.Value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
