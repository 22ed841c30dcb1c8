using System.Security.Cryptography;

namespace CrowdWatch.Geo.Privacy;

/// <summary>Replaces a raw device id by its keyed hash: HMAC-SHA256, truncated to 128 bits, as lowercase hex.</summary>
public sealed class Pseudonymiser(PseudonymKey key)
{
    private readonly byte[] _key = (key ?? throw new ArgumentNullException(nameof(key))).Bytes;

    /// <summary>The pseudonym of a raw id given as UTF-8 bytes.</summary>
    public string Pseudonym(ReadOnlySpan<byte> rawId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, rawId, mac);
        return Convert.ToHexStringLower(mac[..16]);
    }
}
