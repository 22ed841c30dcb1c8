using System.Globalization;
using Npgsql;

namespace CrowdWatch.Storage.Postgres;

/// <summary>
/// The PostgreSQL + PostGIS database: its connections (a data source with NetTopologySuite types), its migrations and
/// the ids and month partitions the stores over it share. Each contract has its own store over it
/// (<see cref="PostgresCountStore"/>, <see cref="PostgresAreaStore"/>, <see cref="PostgresForecastStore"/>,
/// <see cref="PostgresAlertStore"/>, <see cref="PostgresAuditLog"/>, <see cref="PostgresApiKeys"/>).
/// </summary>
public sealed class PostgresDatabase : IStoreDatabase
{
    // How this backend keeps an instant and an alert id, for the rows both backends share (DbRows).
    internal static readonly Func<System.Data.Common.DbDataReader, int, long> Instant = static (r, i) => Ms(r.GetFieldValue<DateTime>(i));
    internal static readonly Func<System.Data.Common.DbDataReader, int, Guid> AlertId = static (r, i) => r.GetGuid(i);

    /// <summary>The server's connections.</summary>
    internal NpgsqlDataSource DataSource { get; }

    // Ids of areas, sources and channels, and the month partitions known to exist: rows that are never deleted, so
    // a batch need not ask the server for them again.
    internal System.Collections.Concurrent.ConcurrentDictionary<(string Table, int AreaId, string Name), int> Ids { get; } = new();
    internal System.Collections.Concurrent.ConcurrentDictionary<DateTime, bool> Partitions { get; } = new();

    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    /// <summary>Connects with <paramref name="connectionString"/> and brings the schema up to date.</summary>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        var store = new PostgresDatabase(builder.Build());
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
        await using var command = DataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_version");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => DataSource.Dispose();

    // Applies the missing steps in one transaction under an advisory lock: a second instance starting at the same
    // moment waits, then finds the steps applied and does nothing.
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
    internal static async Task EnsurePartition(NpgsqlConnection connection, NpgsqlTransaction tx, DateTime month, CancellationToken cancellationToken)
    {
        var name = PartitionName(month);
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.PartitionLock}, {(month.Year * 12) + month.Month})", cancellationToken).ConfigureAwait(false);
        var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Execute(connection, tx,
            $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF count FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')", cancellationToken).ConfigureAwait(false);
    }

    internal static string PartitionName(DateTime month) => string.Create(CultureInfo.InvariantCulture, $"count_{month:yyyy_MM}");

    internal static DateTime MonthOf(long ms)
    {
        var t = Utc(ms);
        return new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    // long.MaxValue ("whenever", as in the outbox's "due at any time") is past DateTime's range: instants beyond it stand
    // for its ends.
    private static readonly long MaxMs = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    private static readonly long MinMs = -(DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond);

    internal static DateTime Utc(long ms) => DateTime.UnixEpoch.AddMilliseconds(Math.Clamp(ms, MinMs, MaxMs));

    internal static long Ms(DateTime utc) => (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;

    internal static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The id of a named row, inserting it the first time; sources and zones are named within their area. Ids read from the
    // server go to looked, to be cached once their transaction commits (a rolled-back insert leaves no row).
    internal async Task<int> IdOf(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string name, int? areaId,
        Dictionary<(string, int, string), int> looked, CancellationToken cancellationToken)
    {
        if (Ids.TryGetValue((table, areaId ?? 0, name), out var known)) return known;
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
