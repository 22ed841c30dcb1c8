using CrowdWatch.Storage.Access;
using Microsoft.Data.Sqlite;
using static CrowdWatch.Storage.Embedded.SqliteDatabase;

namespace CrowdWatch.Storage.Embedded;

/// <summary>The embedded (SQLite) store of API keys, kept as hashes.</summary>
public sealed class SqliteApiKeys(SqliteDatabase db) : IApiKeys
{
    /// <inheritdoc />
    public async Task<string> IssueAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var secret = ApiKeySecret.New();
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO api_key (name, role, hash, created_at) VALUES ($name, $role, $hash, $at)");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$hash", ApiKeySecret.Hash(secret));
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // constraint: the name is taken
        {
            throw new ArgumentException($"an API key named '{name}' exists already; revoke it or choose another name", nameof(name), e);
        }

        return secret;
    }

    /// <inheritdoc />
    public async Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT name, role, created_at FROM api_key WHERE hash = $hash AND revoked_at IS NULL");
        command.Parameters.AddWithValue("$hash", ApiKeySecret.Hash(secret));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new ApiKey(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
        // A revoked key keeps its row (and its name) for the audit trail.
        await using var command = Command(connection, null, "UPDATE api_key SET revoked_at = $at WHERE name = $name AND revoked_at IS NULL");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
