using System.Security.Cryptography;

namespace CrowdWatch.Storage.Access;

/// <summary>
/// Makes and hashes API key secrets: 32 random bytes, so a plain SHA-256 is enough (a slow password hash guards
/// guessable secrets; these are not guessable), compared by hash lookup.
/// </summary>
public static class ApiKeySecret
{
    /// <summary>Prefix that makes a CrowdWatch key recognisable in logs and secret scanners.</summary>
    public const string Prefix = "cwk_";

    /// <summary>A new secret.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The hash a store keeps.</summary>
    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));
    }
}
