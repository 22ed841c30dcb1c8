using CrowdWatch.Storage.Embedded;
using CrowdWatch.Storage.Postgres;

namespace CrowdWatch.Storage;

/// <summary>Opens the configured store, migrating its schema: the one place that chooses the backend.</summary>
public static class Stores
{
    /// <summary>Opens the store <paramref name="options"/> name; PostgreSQL needs <paramref name="connectionString"/>.</summary>
    public static async Task<Store> OpenAsync(StoreOptions options, string? connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            StoreOptions.Embedded => Over(await SqliteDatabase.OpenAsync(options.EmbeddedPath, cancellationToken).ConfigureAwait(false)),
            StoreOptions.Postgres when string.IsNullOrWhiteSpace(connectionString) =>
                throw new InvalidDataException($"Store:Provider is '{StoreOptions.Postgres}' but ConnectionStrings:{StoreOptions.ConnectionName} is not set"),
            StoreOptions.Postgres => Over(await PostgresDatabase.OpenAsync(connectionString!, cancellationToken).ConfigureAwait(false)),
            _ => throw new InvalidDataException($"Store:Provider is '{options.Provider}'; expected '{StoreOptions.Embedded}' or '{StoreOptions.Postgres}'"),
        };
    }

    /// <summary>The stores over an embedded database.</summary>
    public static Store Over(SqliteDatabase db) =>
        new(new SqliteCountStore(db), new SqliteAreaStore(db), new SqliteForecastStore(db), new SqliteAlertStore(db), new SqliteAuditLog(db), new SqliteApiKeys(db), new SqliteSinkOutbox(db), db);

    /// <summary>The stores over a PostgreSQL database.</summary>
    public static Store Over(PostgresDatabase db) =>
        new(new PostgresCountStore(db), new PostgresAreaStore(db), new PostgresForecastStore(db), new PostgresAlertStore(db), new PostgresAuditLog(db), new PostgresApiKeys(db), new PostgresSinkOutbox(db), db);

    /// <summary>Where the store is, in words, without secrets: for logs and command output.</summary>
    public static string Describe(StoreOptions options, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != StoreOptions.Postgres) return $"embedded store {Path.GetFullPath(options.EmbeddedPath)}";
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
