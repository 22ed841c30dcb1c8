using System.Security.Cryptography;

namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// Replaces a raw device id by its keyed hash: HMAC-SHA256, truncated to 128 bits, as lowercase hex. Keeps one HMAC
/// context and resets it per id, which is several times cheaper than a one-shot call. Not thread-safe.
/// </summary>
public sealed class Pseudonymiser : IDisposable
{
    private readonly IncrementalHash _hmac;

    /// <summary>Creates a pseudonymiser under <paramref name="key"/>.</summary>
    public Pseudonymiser(PseudonymKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);
    }

    /// <summary>The pseudonym of a raw id given as UTF-8 bytes.</summary>
    public string Pseudonym(ReadOnlySpan<byte> rawId) => Format(PseudonymBits(rawId));

    /// <summary>The pseudonym as 128 bits, without formatting it.</summary>
    public UInt128 PseudonymBits(ReadOnlySpan<byte> rawId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.AppendData(rawId);
        _hmac.GetHashAndReset(mac);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(mac);
    }

    /// <summary>Formats pseudonym bits as 32 lowercase hex digits.</summary>
    public static string Format(UInt128 bits)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc />
    public void Dispose() => _hmac.Dispose();
}
