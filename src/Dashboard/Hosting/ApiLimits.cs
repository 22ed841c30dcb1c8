using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>Limits on what callers may send (configuration section <c>Api</c>).</summary>
public sealed class ApiLimits
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Api";

    /// <summary>Requests per minute from one caller (an API key's name, else the client address); 429 beyond.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 1200;

    /// <summary>Largest request body, bytes; 413 beyond.</summary>
    [Range(1024, 1L << 32)]
    public long MaxRequestBytes { get; set; } = 16L << 20;

    /// <summary>
    /// Whether a caller without a key may read what a viewer reads (aggregates, k-suppressed): on for the sample city
    /// and wall screens on a closed network; set false where every reader must hold a viewer key.
    /// </summary>
    public bool AnonymousViewers { get; set; } = true;
}
