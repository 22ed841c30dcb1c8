using CrowdWatch.Geo.Storage;
using Microsoft.Data.Sqlite;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of counts per cell and slot, with zone totals.</summary>
public sealed class SqliteCountStore(SqliteDatabase db) : ICountStore, ICountChanges
{
    /// <inheritdoc />
    public event Action<string>? Stored;

    /// <inheritdoc />
    /// <remarks>The embedded store is one process's: its own writes are all there is to hear.</remarks>
    public Task ListenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public bool HearsOtherWriters => false;

    /// <inheritdoc />
    public async Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate();
        var rows = batch.Combined();
        var zoneRows = batch.CombinedZones();
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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

        await InsertCellsAsync(connection, tx, areaId, sourceId, channels, rows, cancellationToken).ConfigureAwait(false);
        await InsertZonesAsync(connection, tx, sourceId, channels, zones, zoneRows, cancellationToken).ConfigureAwait(false);
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
        Stored?.Invoke(batch.Area);
    }

    // The cells' rows of the batch, with one prepared statement.
    private static async Task InsertCellsAsync(SqliteConnection connection, SqliteTransaction tx, long areaId, long sourceId, Dictionary<string, long> channels,
        IReadOnlyList<CountRecord> rows, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, tx,
            "INSERT INTO count (area_id, channel_id, slot_start, cell, source_id, value) VALUES ($area, $channel, $slot, $cell, $source, $value)");
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

    // The zones' totals of the batch, with one prepared statement.
    private static async Task InsertZonesAsync(SqliteConnection connection, SqliteTransaction tx, long sourceId, Dictionary<string, long> channels,
        Dictionary<string, long> zones, IReadOnlyList<ZoneCountRecord> zoneRows, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, tx,
            "INSERT INTO zone_count (zone_id, channel_id, slot_start, source_id, value) VALUES ($zone, $channel, $slot, $source, $value)");
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneCountRecord>> ReadZoneAsync(ZoneQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
}
