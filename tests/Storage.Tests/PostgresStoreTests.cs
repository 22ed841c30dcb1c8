using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Postgres;
using Npgsql;

namespace CrowdWatch.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreContract, IAsyncLifetime
{
    private readonly List<Store> _opened = [];
    private readonly Dictionary<object, string> _databases = new(ReferenceEqualityComparer.Instance);

    protected override async Task<Store> OpenNewAsync()
    {
        var database = await server.NewDatabaseAsync();
        var store = Stores.Over(await PostgresDatabase.OpenAsync(database));
        _opened.Add(store);
        (_databases[store], _databases[store.Counts]) = (database, database);
        return store;
    }

    protected override async Task<Store> ReopenAsync(Store store)
    {
        var again = Stores.Over(await PostgresDatabase.OpenAsync(_databases[store]));
        _opened.Add(again);
        return again;
    }

    [Fact]
    public async Task Counts_go_to_month_partitions_and_postgis_is_installed()
    {
        var store = await NewStoreAsync();
        var october = 1_759_312_800_000L;         // 2025-10-01T10:00Z
        var november = october + (31L * 86_400_000); // 2025-11-01T10:00Z
        await store.WriteAsync(new CountBatch("chongqing", "a.csv", [october, november],
            [new CountRecord(october, "devices", 1, 1), new CountRecord(november, "devices", 1, 2)]));
        await using var connection = new NpgsqlConnection(_databases[store]);
        await connection.OpenAsync();
        await using var partitions = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            + "WHERE p.relname = 'count' ORDER BY 1", connection);
        var names = new List<string>();
        await using (var reader = await partitions.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        Assert.Equal(["count_2025_10", "count_2025_11"], names);
        await using var postgis = new NpgsqlCommand("SELECT ST_Area(ST_MakeEnvelope(0, 0, 100, 50, 32648))", connection);
        Assert.Equal(5000.0, await postgis.ExecuteScalarAsync());
        Assert.True(await _opened[^1].Database.SchemaVersionAsync() >= 1);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }
}
