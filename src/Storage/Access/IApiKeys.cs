namespace CrowdWatch.Storage.Access;

/// <summary>API keys: issued once in clear, kept hashed, checked on each call, revoked by name.</summary>
public interface IApiKeys
{
    /// <summary>Issues a new key; the returned secret is shown once and never stored.</summary>
    Task<string> IssueAsync(string name, string role, CancellationToken cancellationToken = default);

    /// <summary>The key a secret belongs to, or null for an unknown or revoked secret.</summary>
    Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key by name; false when there is none.</summary>
    Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default);
}
