using CrowdWatch.Storage.Access;
using CrowdWatch.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace CrowdWatch.Storage.Tests;

public sealed class SqliteStoreTests : StoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-store-{Guid.NewGuid():N}");

    protected override async Task<Store> OpenNewAsync() =>
        Stores.Over(await SqliteDatabase.OpenAsync(Path.Combine(_folder, $"{Guid.NewGuid():N}", "crowdwatch.db")));

    protected override async Task<Store> ReopenAsync(Store store) => Stores.Over(await SqliteDatabase.OpenAsync(((SqliteDatabase)store.Database).Path));

    [Fact]
    public async Task First_open_creates_the_file_at_the_latest_schema_and_reopening_changes_nothing()
    {
        var path = Path.Combine(_folder, "new", "crowdwatch.db");
        Assert.False(File.Exists(path));
        var store = await SqliteDatabase.OpenAsync(path);
        Assert.True(File.Exists(path));
        var latest = await store.SchemaVersionAsync();
        Assert.True(latest >= 1);
        await SqliteDatabase.OpenAsync(path);
        Assert.Equal(latest, await store.SchemaVersionAsync());
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT count(*) FROM schema_version", connection);
        Assert.Equal((long)latest, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_file_keeps_an_api_keys_hash_and_never_its_secret()
    {
        var path = Path.Combine(_folder, "keys", "crowdwatch.db");
        var keys = new SqliteApiKeys(await SqliteDatabase.OpenAsync(path));
        var secret = await keys.IssueAsync("sms-gateway", "operator");
        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(path);
        var wal = File.Exists(path + "-wal") ? await File.ReadAllBytesAsync(path + "-wal") : [];
        foreach (var content in new[] { bytes, wal })
        {
            Assert.Equal(-1, content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret[ApiKeySecret.Prefix.Length..])));
        }

        Assert.True(bytes.AsSpan().IndexOf(ApiKeySecret.Hash(secret)) >= 0 || wal.AsSpan().IndexOf(ApiKeySecret.Hash(secret)) >= 0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
