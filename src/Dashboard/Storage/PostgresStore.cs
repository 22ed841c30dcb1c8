using System.Globalization;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace CrowdWatch.Dashboard.Storage;

/// <summary>
/// The production store: PostgreSQL 15 with PostGIS. Counts are bulk-written through binary COPY into a table
/// partitioned by month; each batch is one transaction.
/// </summary>
public sealed class PostgresStore : ICountStore, IAreaStore, IAuditLog, IApiKeys, IForecastStore, IAlertStore, IAsyncDisposable, IDisposable
{
    // How this backend keeps an instant and an alert id, for the rows both backends share (DbRows).
    private static readonly Func<System.Data.Common.DbDataReader, int, long> Instant = static (r, i) => Ms(r.GetFieldValue<DateTime>(i));
    private static readonly Func<System.Data.Common.DbDataReader, int, Guid> AlertId = static (r, i) => r.GetGuid(i);

    private readonly NpgsqlDataSource _dataSource;

    // Ids of areas, sources and channels, and the month partitions known to exist: rows that are never deleted, so
    // a batch need not ask the server for them again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Table, int AreaId, string Name), int> _ids = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DateTime, bool> _partitions = new();

    private PostgresStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Connects with <paramref name="connectionString"/> and brings the schema up to date.</summary>
    public static async Task<PostgresStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        var store = new PostgresStore(builder.Build());
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>The schema version the database is at.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_version");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate();
        var rows = batch.Combined();
        var zoneRows = batch.CombinedZones();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await IdOf(connection, tx, "area", batch.Area, null, looked, cancellationToken).ConfigureAwait(false);
        var sourceId = await IdOf(connection, tx, "count_source", batch.Source, areaId, looked, cancellationToken).ConfigureAwait(false);
        // One writer per source at a time: two runs of the same file must not interleave their replace.
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.SourceLock}, {sourceId})", cancellationToken).ConfigureAwait(false);
        var channels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in rows.Select(r => r.Channel).Concat(zoneRows.Select(z => z.Channel)).Distinct())
            channels[name] = await IdOf(connection, tx, "channel", name, null, looked, cancellationToken).ConfigureAwait(false);
        var zones = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in zoneRows.Select(z => z.Zone).Distinct())
            zones[name] = await IdOf(connection, tx, "zone", name, areaId, looked, cancellationToken).ConfigureAwait(false);

        var slots = batch.Slots.Distinct().Order().ToArray();
        var months = slots.Select(MonthOf).Distinct().ToList();
        foreach (var month in months.Where(m => !_partitions.ContainsKey(m)))
            await EnsurePartition(connection, tx, month, cancellationToken).ConfigureAwait(false);

        // Only slots this source wrote before have rows to replace: a load of new slots deletes nothing.
        var slotTimes = slots.Select(Utc).ToArray();
        var written = new List<DateTime>();
        await using (var known = new NpgsqlCommand("SELECT slot_start FROM count_slot WHERE source_id = $1 AND slot_start = ANY($2)", connection, tx))
        {
            known.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sourceId });
            known.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = slotTimes });
            await using var reader = await known.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) written.Add(reader.GetFieldValue<DateTime>(0));
        }

        // The cells' rows are found through the block ranges of their slots; zone totals have an index by source.
        foreach (var target in written.Count > 0 ? new[] { "count", "zone_count" } : [])
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {target} WHERE source_id = $1 AND slot_start = ANY($2)", connection, tx);
            delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sourceId });
            delete.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = written.ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Straight into the month's partition when the batch lies in one month (as a slot always does): no routing.
        var table = months.Count == 1 ? PartitionName(months[0]) : "count";
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} (channel_id, slot_start, cell, source_id, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            string? lastChannel = null;
            var channelId = 0;
            var lastSlot = long.MinValue;
            var slotTime = default(DateTime);
            foreach (var row in rows)
            {
                // Rows come grouped by slot and channel: convert and look up only when they change.
                if (!ReferenceEquals(row.Channel, lastChannel)) (lastChannel, channelId) = (row.Channel, channels[row.Channel]);
                if (row.SlotStartMs != lastSlot) (lastSlot, slotTime) = (row.SlotStartMs, Utc(row.SlotStartMs));
                copy.StartRow();
                copy.Write(channelId, NpgsqlDbType.Integer);
                copy.Write(slotTime, NpgsqlDbType.TimestampTz);
                copy.Write(row.Cell, NpgsqlDbType.Integer);
                copy.Write(sourceId, NpgsqlDbType.Integer);
                copy.Write(row.Value, NpgsqlDbType.Double);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (zoneRows.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY zone_count (zone_id, channel_id, slot_start, source_id, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            foreach (var row in zoneRows)
            {
                copy.StartRow();
                copy.Write(zones[row.Zone], NpgsqlDbType.Integer);
                copy.Write(channels[row.Channel], NpgsqlDbType.Integer);
                copy.Write(Utc(row.SlotStartMs), NpgsqlDbType.TimestampTz);
                copy.Write(sourceId, NpgsqlDbType.Integer);
                copy.Write(row.Value, NpgsqlDbType.Double);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var perSlot = SlotRows.Count(rows);
        await using (var mark = new NpgsqlCommand(
            "INSERT INTO count_slot (source_id, slot_start, rows) SELECT $1, s, r FROM unnest($2::timestamptz[], $3::integer[]) AS t(s, r) "
            + "ON CONFLICT (source_id, slot_start) DO UPDATE SET rows = excluded.rows, written_at = now()", connection, tx))
        {
            mark.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sourceId });
            mark.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = slotTimes });
            mark.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = slots.Select(s => perSlot.GetValueOrDefault(s)).ToArray() });
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var month in months) _partitions.TryAdd(month, true);
        foreach (var (key, id) in looked) _ids.TryAdd(key, id);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CountRecord>> ReadAsync(CountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = "SELECT c.slot_start, c.cell, sum(c.value) FROM count c "
            + "JOIN count_source o ON o.id = c.source_id JOIN area a ON a.id = o.area_id JOIN channel h ON h.id = c.channel_id "
            + "WHERE a.name = $1 AND h.name = $2 AND c.slot_start >= $3 AND c.slot_start < $4 "
            + (query.Cells is null ? "" : "AND c.cell = ANY($5) ")
            + "GROUP BY c.slot_start, c.cell HAVING sum(c.value) <> 0 ORDER BY c.slot_start, c.cell";
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Area });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Channel });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(query.FromMs) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(query.ToMs) });
        if (query.Cells is not null) command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = query.Cells.ToArray() });
        return await DbRows.ListAsync(command, reader =>
            new CountRecord(Ms(reader.GetFieldValue<DateTime>(0)), query.Channel, reader.GetInt32(1), reader.GetDouble(2)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneCountRecord>> ReadZoneAsync(ZoneQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = _dataSource.CreateCommand(
            "SELECT c.slot_start, sum(c.value) FROM zone_count c "
            + "JOIN zone z ON z.id = c.zone_id JOIN area a ON a.id = z.area_id JOIN channel h ON h.id = c.channel_id "
            + "WHERE a.name = $1 AND z.name = $2 AND h.name = $3 AND c.slot_start >= $4 AND c.slot_start < $5 "
            + "GROUP BY c.slot_start HAVING sum(c.value) <> 0 ORDER BY c.slot_start");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Area });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Zone });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Channel });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(query.FromMs) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(query.ToMs) });
        return await DbRows.ListAsync(command, reader =>
            new ZoneCountRecord(Ms(reader.GetFieldValue<DateTime>(0)), query.Channel, query.Zone, reader.GetDouble(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> SlotsOfSourceAsync(string area, string source, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT s.slot_start FROM count_slot s JOIN count_source o ON o.id = s.source_id JOIN area a ON a.id = o.area_id "
            + "WHERE a.name = $1 AND o.name = $2 ORDER BY s.slot_start");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        return await DbRows.ListAsync(command, reader => Ms(reader.GetFieldValue<DateTime>(0)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long deleted;
        await using (var counts = new NpgsqlCommand("DELETE FROM count WHERE slot_start < $1", connection, tx))
        {
            counts.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
            deleted = await counts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "zone_count", "count_slot" })
        {
            await using var others = new NpgsqlCommand($"DELETE FROM {table} WHERE slot_start < $1", connection, tx);
            others.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
            await others.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task SaveAreaAsync(Area area, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        var srid = area.Grid.Spec.Epsg;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await IdOf(connection, tx, "area", area.Name, null, looked, cancellationToken).ConfigureAwait(false);
        var spec = area.Grid.Spec;
        await using (var grid = new NpgsqlCommand(
            "INSERT INTO grid (area_id, epsg, origin_x, origin_y, cell_size_m, rows, cols) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            + "ON CONFLICT (area_id) DO UPDATE SET epsg = excluded.epsg, origin_x = excluded.origin_x, origin_y = excluded.origin_y, "
            + "cell_size_m = excluded.cell_size_m, rows = excluded.rows, cols = excluded.cols", connection, tx))
        {
            grid.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            grid.Parameters.Add(new NpgsqlParameter<int> { TypedValue = spec.Epsg });
            foreach (var v in new[] { spec.OriginX, spec.OriginY, spec.CellSizeM }) grid.Parameters.Add(new NpgsqlParameter<double> { TypedValue = v });
            grid.Parameters.Add(new NpgsqlParameter<int> { TypedValue = spec.Rows });
            grid.Parameters.Add(new NpgsqlParameter<int> { TypedValue = spec.Cols });
            await grid.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "cell_geom", "walkable_geom" })
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {table} WHERE area_id = $1", connection, tx);
            clear.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var surface in area.WalkableSurfaces)
        {
            var geometry = (Geometry)surface.Copy();
            geometry.SRID = 4326;
            await using var save = new NpgsqlCommand("INSERT INTO walkable_geom (area_id, geom, geom_projected) VALUES ($1, $2, ST_Transform($2, $3))", connection, tx);
            save.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            save.Parameters.Add(new NpgsqlParameter<Geometry> { TypedValue = geometry });
            save.Parameters.Add(new NpgsqlParameter<int> { TypedValue = srid });
            await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var factory = new GeometryFactory(new PrecisionModel(), srid);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY cell_geom (area_id, cell, geom, geom_projected, walkable_m2) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var id = 0; id < area.Grid.Spec.CellCount; id++)
            {
                var cell = area.Grid.CellAt(id);
                var wgs84 = area.Grid.CellPolygon(cell);
                wgs84.SRID = 4326;
                copy.StartRow();
                copy.Write(areaId, NpgsqlDbType.Integer);
                copy.Write(id, NpgsqlDbType.Integer);
                copy.Write<Geometry>(wgs84, NpgsqlDbType.Geometry);
                copy.Write<Geometry>(factory.ToGeometry(area.Grid.CellEnvelope(cell)), NpgsqlDbType.Geometry);
                copy.Write(area.WalkableM2[id], NpgsqlDbType.Double);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var zone = area.Zones.Zones[z];
            var zoneId = await IdOf(connection, tx, "zone", zone.Name, areaId, looked, cancellationToken).ConfigureAwait(false);
            var geometry = (Geometry)zone.Geometry.Copy();
            geometry.SRID = 4326;
            await using var save = new NpgsqlCommand(
                "INSERT INTO zone_geom (zone_id, geom, geom_projected, capacity, walkable_m2) "
                + "VALUES ($1, ST_Multi($2), ST_Multi(ST_Transform($2, $3)), $4, $5) "
                + "ON CONFLICT (zone_id) DO UPDATE SET geom = excluded.geom, geom_projected = excluded.geom_projected, "
                + "capacity = excluded.capacity, walkable_m2 = excluded.walkable_m2", connection, tx);
            save.Parameters.Add(new NpgsqlParameter<int> { TypedValue = zoneId });
            save.Parameters.Add(new NpgsqlParameter<Geometry> { TypedValue = geometry });
            save.Parameters.Add(new NpgsqlParameter<int> { TypedValue = srid });
            save.Parameters.Add(new NpgsqlParameter { Value = (object?)zone.Capacity ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            save.Parameters.Add(new NpgsqlParameter<double> { TypedValue = area.Zones.ZoneWalkableM2(z, area.WalkableM2) });
            await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, id) in looked) _ids.TryAdd(key, id);
    }

    /// <inheritdoc />
    public async Task<StoredArea?> LoadAreaAsync(string area, CancellationToken cancellationToken = default)
    {
        GridSpec spec;
        int areaId;
        await using (var grid = _dataSource.CreateCommand(
            "SELECT g.area_id, epsg, origin_x, origin_y, cell_size_m, rows, cols FROM grid g JOIN area a ON a.id = g.area_id WHERE a.name = $1"))
        {
            grid.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
            await using var reader = await grid.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            areaId = reader.GetInt32(0);
            spec = DbRows.Grid(reader, 1);
        }

        var walkable = new double[spec.CellCount];
        List<Geometry> surfaces;
        List<string> zones;
        await using (var command = _dataSource.CreateCommand("SELECT cell, walkable_m2 FROM cell_geom WHERE area_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) walkable[reader.GetInt32(0)] = reader.GetDouble(1);
        }

        await using (var command = _dataSource.CreateCommand("SELECT geom FROM walkable_geom WHERE area_id = $1 ORDER BY id"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            surfaces = await DbRows.ListAsync(command, reader => reader.GetFieldValue<Geometry>(0), cancellationToken).ConfigureAwait(false);
        }

        await using (var command = _dataSource.CreateCommand("SELECT z.name FROM zone z JOIN zone_geom g ON g.zone_id = z.id WHERE z.area_id = $1 ORDER BY z.id"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            zones = await DbRows.ListAsync(command, reader => reader.GetString(0), cancellationToken).ConfigureAwait(false);
        }

        return new StoredArea(spec, walkable, surfaces, zones);
    }

    // The drawn polygon in the grid's CRS, and each cell's covered area and share: PostGIS's own answer.
    private const string OverlapSql = """
        WITH d AS (SELECT ST_Transform($2, $3) AS g),
        o AS (
            SELECT c.cell, ST_Area(ST_Intersection(c.geom_projected, d.g)) AS covered, ST_Area(c.geom_projected) AS whole
            FROM cell_geom c, d
            WHERE c.area_id = (SELECT id FROM area WHERE name = $1) AND ST_Intersects(c.geom_projected, d.g))
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneOverlap>> OverlapsAsync(Area area, Geometry drawnWgs84, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        await using var command = _dataSource.CreateCommand(OverlapSql + " SELECT cell, covered, covered / whole FROM o WHERE covered > 0 ORDER BY cell");
        AddDrawn(command, area, drawnWgs84);
        return await DbRows.ListAsync(command, reader =>
            new ZoneOverlap(reader.GetInt32(0), reader.GetDouble(1), reader.GetDouble(2)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long SlotStartMs, double Value)>> ReadAreaAsync(Area area, Geometry drawnWgs84, string channel, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        await using var command = _dataSource.CreateCommand(OverlapSql + """
             SELECT k.slot_start, sum(k.value * o.covered / o.whole) FROM count k
             JOIN count_source s ON s.id = k.source_id JOIN channel h ON h.id = k.channel_id JOIN o ON o.cell = k.cell
             WHERE s.area_id = (SELECT id FROM area WHERE name = $1) AND h.name = $4 AND k.slot_start >= $5 AND k.slot_start < $6 AND o.covered > 0
             GROUP BY k.slot_start HAVING sum(k.value * o.covered / o.whole) <> 0 ORDER BY k.slot_start
            """);
        AddDrawn(command, area, drawnWgs84);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(fromMs) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(toMs) });
        return await DbRows.ListAsync(command, reader =>
            (Ms(reader.GetFieldValue<DateTime>(0)), reader.GetDouble(1)), cancellationToken).ConfigureAwait(false);
    }

    private static void AddDrawn(NpgsqlCommand command, Area area, Geometry drawnWgs84)
    {
        ArgumentNullException.ThrowIfNull(drawnWgs84);
        var drawn = (Geometry)drawnWgs84.Copy();
        drawn.SRID = 4326;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area.Name });
        command.Parameters.Add(new NpgsqlParameter<Geometry> { TypedValue = drawn });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = area.Grid.Spec.Epsg });
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = _dataSource.CreateCommand("INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)");
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
        await using var command = _dataSource.CreateCommand(
            "SELECT at, actor, action, target, detail FROM audit WHERE at >= $1 AND at < $2 AND ($3::text IS NULL OR actor = $3) ORDER BY at, id");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(fromMs) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(toMs) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await DbRows.ListAsync(command, reader => DbRows.Audit(reader, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> IssueAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var secret = ApiKeySecret.New();
        await using var command = _dataSource.CreateCommand("INSERT INTO api_key (name, role, hash, created_at) VALUES ($1, $2, $3, now())");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ApiKeySecret.Hash(secret) });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException($"an API key named '{name}' exists already; revoke it or choose another name", nameof(name), e);
        }

        return secret;
    }

    /// <inheritdoc />
    public async Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT name, role, created_at FROM api_key WHERE hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ApiKeySecret.Hash(secret) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ApiKey(reader.GetString(0), reader.GetString(1), Ms(reader.GetFieldValue<DateTime>(2))) : null;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        // A revoked key keeps its row (and its name) for the audit trail.
        await using var command = _dataSource.CreateCommand("UPDATE api_key SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task SaveRunAsync(ForecastRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await IdOf(connection, tx, "area", run.Area, null, looked, cancellationToken).ConfigureAwait(false);
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
        foreach (var (key, id) in looked) _ids.TryAdd(key, id);
    }

    /// <inheritdoc />
    public async Task<ForecastRun?> LatestRunAsync(string area, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
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
        await using var command = _dataSource.CreateCommand(
            "SELECT place, horizon, target_slot, mean, low80, high80, low95, high95, exceedance FROM forecast_value WHERE run_id = $1 AND is_zone = $2 AND " + where);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = isZone });
        command.Parameters.Add(key);
        return await DbRows.ListAsync(command, reader =>
            new ForecastValue(reader.GetString(0), isZone, reader.GetInt32(1), Ms(reader.GetFieldValue<DateTime>(2)), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetFieldValue<double[]>(8)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordAsync(AlertEvent alertEvent, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
                throw new InvalidOperationException($"alert {e.AlertId} already has event {e.Sequence}", x);
            }
        }

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

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> EventsAsync(Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT sequence, at, kind, area, place, level, actor, note, message, state FROM alert_event WHERE alert_id = $1 ORDER BY sequence");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = alertId });
        return await DbRows.ListAsync(command, reader => DbRows.Event(reader, alertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> OpenAlertsAsync(string? area = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT DISTINCT ON (alert_id) sequence, at, kind, area, place, level, actor, note, message, state, alert_id FROM alert_event "
            + "WHERE ($1::text IS NULL OR area = $1) ORDER BY alert_id, sequence DESC");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)area ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var latest = await DbRows.ListAsync(command, reader => DbRows.Event(reader, reader.GetGuid(10), Instant), cancellationToken).ConfigureAwait(false);
        return [.. latest.Where(e => e.Kind is not ("resolved" or "expired")).OrderByDescending(e => e.AtMs).ThenBy(e => e.AlertId)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT id, alert_id, sequence, channel, recipient, payload, attempts, next_attempt, last_error FROM outbox "
            + "WHERE delivered_at IS NULL AND next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nowMs) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await DbRows.ListAsync(command, reader => DbRows.Outbox(reader, AlertId, Instant), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(long messageId, long atMs, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("UPDATE outbox SET delivered_at = $2, attempts = attempts + 1 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(atMs) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAuditBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM audit WHERE at < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteAlertsBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            WITH old AS (SELECT alert_id FROM alert_event GROUP BY alert_id HAVING max(at) < $1),
            sent AS (DELETE FROM outbox WHERE alert_id IN (SELECT alert_id FROM old)),
            gone AS (DELETE FROM alert_event WHERE alert_id IN (SELECT alert_id FROM old) RETURNING alert_id)
            SELECT count(DISTINCT alert_id) FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(beforeMs) });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task FailedAsync(long messageId, string error, long nextAttemptMs, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt = $3 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Utc(nextAttemptMs) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    // Applies the missing steps in one transaction under an advisory lock: a second instance starting at the same
    // moment waits, then finds the steps applied and does nothing.
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock})", cancellationToken).ConfigureAwait(false);
        await Execute(connection, tx,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);
        int current;
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection, tx))
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var latest = PostgresSchema.Migrations[^1].Version;
        if (current > latest)
            throw new InvalidOperationException($"the database is at schema version {current}, newer than this CrowdWatch knows ({latest}); upgrade CrowdWatch");
        foreach (var step in PostgresSchema.Migrations.Where(m => m.Version > current))
        {
            await Execute(connection, tx, step.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, description) VALUES ($1, $2)", connection, tx);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = step.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = step.Description });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        // Types added by the steps (PostGIS geometry) become known to the connections opened after this.
        await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
    }

    // The month partition holding a slot, created under a lock so that two writers do not race to create it.
    private static async Task EnsurePartition(NpgsqlConnection connection, NpgsqlTransaction tx, DateTime month, CancellationToken cancellationToken)
    {
        var name = PartitionName(month);
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.PartitionLock}, {(month.Year * 12) + month.Month})", cancellationToken).ConfigureAwait(false);
        var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Execute(connection, tx,
            $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF count FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')", cancellationToken).ConfigureAwait(false);
    }

    private static string PartitionName(DateTime month) => string.Create(CultureInfo.InvariantCulture, $"count_{month:yyyy_MM}");

    private static DateTime MonthOf(long ms)
    {
        var t = Utc(ms);
        return new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    private static DateTime Utc(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    private static long Ms(DateTime utc) => (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The id of a named row, inserting it the first time; sources and zones are named within their area. Ids read from the
    // server go to looked, to be cached once their transaction commits (a rolled-back insert leaves no row).
    private async Task<int> IdOf(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string name, int? areaId,
        Dictionary<(string, int, string), int> looked, CancellationToken cancellationToken)
    {
        if (_ids.TryGetValue((table, areaId ?? 0, name), out var known)) return known;
        var sql = areaId is null
            ? $"INSERT INTO {table} (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
            : $"INSERT INTO {table} (area_id, name) VALUES ($2, $1) ON CONFLICT (area_id, name) DO UPDATE SET name = excluded.name RETURNING id";
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        if (areaId is not null) command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId.Value });
        var id = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        looked[(table, areaId ?? 0, name)] = id;
        return id;
    }
}
