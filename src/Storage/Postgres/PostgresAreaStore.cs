using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of areas, their grids and zones, and spatial queries over drawn areas.</summary>
public sealed class PostgresAreaStore(PostgresDatabase db) : IAreaStore
{
    /// <inheritdoc />
    public async Task SaveAreaAsync(Area area, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        var srid = area.Grid.Spec.Epsg;
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var looked = new Dictionary<(string, int, string), int>();
        var areaId = await db.IdOf(connection, tx, "area", area.Name, null, looked, cancellationToken).ConfigureAwait(false);
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

        await CopyCellsAsync(connection, area, areaId, srid, cancellationToken).ConfigureAwait(false);

        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var zone = area.Zones.Zones[z];
            var zoneId = await db.IdOf(connection, tx, "zone", zone.Name, areaId, looked, cancellationToken).ConfigureAwait(false);
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
        foreach (var (key, id) in looked) db.Ids.TryAdd(key, id);
    }

    // Every cell of the grid with its outline in WGS84 and in the grid's CRS and its walkable m², by binary COPY.
    private static async Task CopyCellsAsync(NpgsqlConnection connection, Area area, int areaId, int srid, CancellationToken cancellationToken)
    {
        var factory = new GeometryFactory(new PrecisionModel(), srid);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY cell_geom (area_id, cell, geom, geom_projected, walkable_m2) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public async Task<StoredArea?> LoadAreaAsync(string area, CancellationToken cancellationToken = default)
    {
        GridSpec spec;
        int areaId;
        await using (var grid = db.DataSource.CreateCommand(
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
        await using (var command = db.DataSource.CreateCommand("SELECT cell, walkable_m2 FROM cell_geom WHERE area_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) walkable[reader.GetInt32(0)] = reader.GetDouble(1);
        }

        await using (var command = db.DataSource.CreateCommand("SELECT geom FROM walkable_geom WHERE area_id = $1 ORDER BY id"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = areaId });
            surfaces = await DbRows.ListAsync(command, reader => reader.GetFieldValue<Geometry>(0), cancellationToken).ConfigureAwait(false);
        }

        await using (var command = db.DataSource.CreateCommand("SELECT z.name FROM zone z JOIN zone_geom g ON g.zone_id = z.id WHERE z.area_id = $1 ORDER BY z.id"))
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
        await using var command = db.DataSource.CreateCommand(OverlapSql + " SELECT cell, covered, covered / whole FROM o WHERE covered > 0 ORDER BY cell");
        AddDrawn(command, area, drawnWgs84);
        return await DbRows.ListAsync(command, reader =>
            new ZoneOverlap(reader.GetInt32(0), reader.GetDouble(1), reader.GetDouble(2)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long SlotStartMs, double Value)>> ReadAreaAsync(Area area, Geometry drawnWgs84, string channel, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        await using var command = db.DataSource.CreateCommand(OverlapSql + """
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
}
