using System.Security.Cryptography;
using System.Text;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>
/// The signature of a webhook body: HMAC-SHA256 with the receiver's shared secret over
/// <c>{unix seconds}.{body}</c>, sent as <c>X-CrowdWatch-Signature: sha256={hex}</c> with the seconds in
/// <c>X-CrowdWatch-Timestamp</c>, so that a receiver can check who sent it and refuse replays of old bodies.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The signature header's name.</summary>
    public const string Header = "X-CrowdWatch-Signature";

    /// <summary>The timestamp header's name.</summary>
    public const string TimestampHeader = "X-CrowdWatch-Timestamp";

    /// <summary>The idempotency key header's name: one key per alert version and recipient, the same on every retry.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The signature of <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public static string Compute(string secret, long unixSeconds, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>Whether <paramref name="signature"/> is right for the body and time (compared in constant time).</summary>
    public static bool Verify(string secret, long unixSeconds, string body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(signature));
}
