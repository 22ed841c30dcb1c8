using CrowdWatch.Geo.Storage;
using Npgsql;
using NpgsqlTypes;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of counts per cell and slot, with zone totals.</summary>
public sealed class PostgresCountStore(PostgresDatabase db) : ICountStore, ICountChanges
{
    /// <summary>The channel a write notifies (its payload: the area), delivered to listeners when the write commits.</summary>
    public const string Channel = "crowdwatch_counts";

    /// <inheritdoc />
    public event Action<string>? Stored;

    // 1 while a LISTEN connection is up: it hears this store's own writes too, so they are not raised twice.
    private int _listening;

    /// <inheritdoc />
    /// <remarks>
    /// One connection of its own, <c>LISTEN</c>ing on <see cref="Channel"/>; if it breaks (the server restarts) it is
    /// opened again after a second, and one <see cref="Stored"/> per area then says "look again" for what was missed.
    /// </remarks>
    public bool HearsOtherWriters => true;

    /// <inheritdoc />
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Stored?.Invoke(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _listening, 1);
                await foreach (var area in AreasAsync(connection, cancellationToken).ConfigureAwait(false)) Stored?.Invoke(area);
                while (true) await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref _listening, 0);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref _listening, 0);
                return;
            }
        }
    }

    private static async IAsyncEnumerable<string> AreasAsync(NpgsqlConnection connection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name FROM area", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) yield return reader.GetString(0);
    }

    /// <inheritdoc />
    public async Task WriteAsync(CountBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate();
        var rows = batch.Combined();
        var zoneRows = batch.CombinedZones();
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await db.IdOf(connection, tx, "area", batch.Area, null, looked, cancellationToken).ConfigureAwait(false);
        var sourceId = await db.IdOf(connection, tx, "count_source", batch.Source, areaId, looked, cancellationToken).ConfigureAwait(false);
        // One writer per source at a time: two runs of the same file must not interleave their replace.
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.SourceLock}, {sourceId})", cancellationToken).ConfigureAwait(false);
        var channels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in rows.Select(r => r.Channel).Concat(zoneRows.Select(z => z.Channel)).Distinct())
            channels[name] = await db.IdOf(connection, tx, "channel", name, null, looked, cancellationToken).ConfigureAwait(false);
        var zones = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in zoneRows.Select(z => z.Zone).Distinct())
            zones[name] = await db.IdOf(connection, tx, "zone", name, areaId, looked, cancellationToken).ConfigureAwait(false);

        var slots = batch.Slots.Distinct().Order().ToArray();
        var months = slots.Select(MonthOf).Distinct().ToList();
        foreach (var month in months.Where(m => !db.Partitions.ContainsKey(m)))
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
        await CopyCellsAsync(connection, table, sourceId, channels, rows, cancellationToken).ConfigureAwait(false);
        if (zoneRows.Count > 0) await CopyZonesAsync(connection, sourceId, channels, zones, zoneRows, cancellationToken).ConfigureAwait(false);

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

        // Every node's listener hears the write once it commits (and not if it rolls back).
        await using (var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', $1)", connection, tx))
        {
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch.Area });
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _listening) == 0) Stored?.Invoke(batch.Area);
        foreach (var month in months) db.Partitions.TryAdd(month, true);
        foreach (var (key, id) in looked) db.Ids.TryAdd(key, id);
    }

    // The cells' rows by binary COPY into the table (a month's partition where the batch lies in one month).
    private static async Task CopyCellsAsync(NpgsqlConnection connection, string table, int sourceId, Dictionary<string, int> channels,
        IReadOnlyList<CountRecord> rows, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} (channel_id, slot_start, cell, source_id, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
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

    // The zones' totals by binary COPY.
    private static async Task CopyZonesAsync(NpgsqlConnection connection, int sourceId, Dictionary<string, int> channels, Dictionary<string, int> zones,
        IReadOnlyList<ZoneCountRecord> zoneRows, CancellationToken cancellationToken)
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<CountRecord>> ReadAsync(CountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        // The area's sources and the channel are looked up once, not joined row by row (a slot of ten thousand cells
        // read a third faster, which is what a pushed frame waits on).
        var sql = "SELECT c.slot_start, c.cell, sum(c.value) FROM count c "
            + "WHERE c.source_id = ANY(ARRAY(SELECT o.id FROM count_source o JOIN area a ON a.id = o.area_id WHERE a.name = $1)) "
            + "AND c.channel_id = (SELECT h.id FROM channel h WHERE h.name = $2) AND c.slot_start >= $3 AND c.slot_start < $4 "
            + (query.Cells is null ? "" : "AND c.cell = ANY($5) ")
            + "GROUP BY c.slot_start, c.cell HAVING sum(c.value) <> 0 ORDER BY c.slot_start, c.cell";
        await using var command = db.DataSource.CreateCommand(sql);
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
        await using var command = db.DataSource.CreateCommand(
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
        await using var command = db.DataSource.CreateCommand(
            "SELECT s.slot_start FROM count_slot s JOIN count_source o ON o.id = s.source_id JOIN area a ON a.id = o.area_id "
            + "WHERE a.name = $1 AND o.name = $2 ORDER BY s.slot_start");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        return await DbRows.ListAsync(command, reader => Ms(reader.GetFieldValue<DateTime>(0)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> DeleteBeforeAsync(long beforeMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
}
