using System.Security.Cryptography;
using System.Text;

namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// The secret key of the keyed hash that replaces device ids at ingest. Without it nobody, operators of CrowdWatch
/// included, can link a pseudonym back to a device id; with the same key, two sources or two instances give the same
/// device the same pseudonym, so duplicates across them can still be recognised.
/// </summary>
public sealed class PseudonymKey
{
    /// <summary>Name of the environment variable the key may come from.</summary>
    public const string EnvironmentVariable = "CROWDWATCH_PSEUDONYM_KEY";

    /// <summary>Fewest bytes accepted: HMAC-SHA256 keys shorter than 16 bytes are guessable.</summary>
    public const int MinimumBytes = 16;

    private PseudonymKey(byte[] bytes, bool isEphemeral)
    {
        Bytes = bytes;
        IsEphemeral = isEphemeral;
    }

    /// <summary>The key material.</summary>
    internal byte[] Bytes { get; }

    /// <summary>True for the throw-away key of sample mode: pseudonyms differ on every run.</summary>
    public bool IsEphemeral { get; }

    /// <summary>
    /// Reads a configured key: base64 (prefix <c>base64:</c>) or UTF-8 text, at least 16 bytes.
    /// </summary>
    public static PseudonymKey Parse(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        byte[] bytes;
        if (configured.StartsWith("base64:", StringComparison.Ordinal))
        {
            try
            {
                bytes = Convert.FromBase64String(configured["base64:".Length..]);
            }
            catch (FormatException e)
            {
                throw new ArgumentException("the pseudonym key after 'base64:' is not valid base64", nameof(configured), e);
            }
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(configured);
        }

        if (bytes.Length < MinimumBytes)
            throw new ArgumentException($"the pseudonym key has {bytes.Length} bytes; at least {MinimumBytes} are required", nameof(configured));
        return new PseudonymKey(bytes, isEphemeral: false);
    }

    /// <summary>A random key for the explicit sample mode only.</summary>
    public static PseudonymKey Ephemeral() => new(RandomNumberGenerator.GetBytes(32), isEphemeral: true);
}
