using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of areas, their grids and zones, and spatial queries over drawn areas.</summary>
public sealed class SqliteAreaStore(SqliteDatabase db) : IAreaStore
{
    /// <inheritdoc />
    public async Task SaveAreaAsync(Area area, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        var points = await StoredSeries.ReadAsync(new SqliteCountStore(db), area.Name, channel, DrawnArea.Overlaps(area, drawnWgs84), fromMs, toMs, cancellationToken).ConfigureAwait(false);
        return [.. points.Select(p => (p.SlotStartMs, p.Value))];
    }
}
