using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CrowdWatch.Storage.Embedded;

/// <summary>
/// The embedded store's database: one SQLite file, created with its schema on first use, and the connections the
/// stores over it share. Writes are transactions in write-ahead logging with full sync, so a committed batch survives
/// a killed process and a power cut alike. Each contract has its own store over it (<see cref="SqliteCountStore"/>,
/// <see cref="SqliteAreaStore"/>, <see cref="SqliteForecastStore"/>, <see cref="SqliteAlertStore"/>,
/// <see cref="SqliteAuditLog"/>, <see cref="SqliteApiKeys"/>).
/// </summary>
public sealed class SqliteDatabase : IStoreDatabase
{
    // How this backend keeps an instant and an alert id, for the rows both backends share (DbRows).
    internal static readonly Func<System.Data.Common.DbDataReader, int, long> Instant = static (r, i) => r.GetInt64(i);
    internal static readonly Func<System.Data.Common.DbDataReader, int, Guid> AlertId = static (r, i) => Guid.Parse(r.GetString(i));

    private readonly string _connectionString;

    private SqliteDatabase(string connectionString) => _connectionString = connectionString;

    /// <summary>The file's path.</summary>
    public required string Path { get; init; }

    /// <summary>Opens (creating if need be) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 60 };
        var store = new SqliteDatabase(builder.ToString()) { Path = path };
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Nothing to release: every call opens its own connection and closes it (SQLite pools them).</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>The schema version the file is at.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(await Scalar(connection, null, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
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

    internal async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Full sync: a commit is on disk before the call returns (durable before anyone is told).
        await Scalar(connection, null, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    internal static async Task<object?> Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, tx, sql);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    // The id of a named row, inserting it the first time; sources and zones are named within their area.
    internal static async Task<long> IdOf(SqliteConnection connection, SqliteTransaction tx, string table, string name, long? areaId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, tx, areaId is null
            ? $"INSERT INTO {table} (name) VALUES ($name) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
            : $"INSERT INTO {table} (area_id, name) VALUES ($area, $name) ON CONFLICT (area_id, name) DO UPDATE SET name = excluded.name RETURNING id");
        command.Parameters.AddWithValue("$name", name);
        if (areaId is not null) command.Parameters.AddWithValue("$area", areaId.Value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
