using CrowdWatch.Storage.Access;
using Npgsql;
using static CrowdWatch.Storage.Postgres.PostgresDatabase;

namespace CrowdWatch.Storage.Postgres;

/// <summary>The PostgreSQL store of API keys, kept as hashes.</summary>
public sealed class PostgresApiKeys(PostgresDatabase db) : IApiKeys
{
    /// <inheritdoc />
    public async Task<string> IssueAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var secret = ApiKeySecret.New();
        await using var command = db.DataSource.CreateCommand("INSERT INTO api_key (name, role, hash, created_at) VALUES ($1, $2, $3, now())");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ApiKeySecret.Hash(secret) });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException($"an API key named '{name}' exists already; revoke it or choose another name", nameof(name), e);
        }

        return secret;
    }

    /// <inheritdoc />
    public async Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT name, role, created_at FROM api_key WHERE hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ApiKeySecret.Hash(secret) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ApiKey(reader.GetString(0), reader.GetString(1), Ms(reader.GetFieldValue<DateTime>(2))) : null;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        // A revoked key keeps its row (and its name) for the audit trail.
        await using var command = db.DataSource.CreateCommand("UPDATE api_key SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
