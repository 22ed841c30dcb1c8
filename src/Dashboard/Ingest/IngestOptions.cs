using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Ingest;

/// <summary>Live ingestion: how pings and searches posted to the host are pseudonymised and binned.</summary>
public sealed class IngestOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Ingest";

    /// <summary>
    /// The pseudonym key (at least 16 bytes, or <c>base64:...</c>); else <c>CROWDWATCH_PSEUDONYM_KEY</c>; else a
    /// throw-away key made at start, which is safe (pseudonyms are never stored) but does not link a device's pings
    /// across a restart.
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary>Minutes after a slot ends that its pings are still taken before it is closed and stored.</summary>
    [Range(0, 240)]
    public int LatenessMinutes { get; set; } = 2;

    /// <summary>
    /// Minutes without a post after which the host's clock closes the open slots (a feed gone quiet), since slots
    /// otherwise close only as later data arrive.
    /// </summary>
    [Range(0.01, 1440)]
    public double IdleCloseMinutes { get; set; } = 10;

    /// <summary>A folder watched for files to ingest (<c>pings*.csv</c>, <c>*.ndjson</c>, <c>searches*.csv</c>, .gz allowed); none by default.</summary>
    public string? DropFolder { get; set; }

    /// <summary>The area the drop folder's files are for (default: the first).</summary>
    public string? DropArea { get; set; }

    /// <summary>
    /// Minutes a record may be dated ahead of the host's clock (devices' clocks run a little fast); a later record is
    /// refused as <c>future</c>, since it would move the binners past every real record to come.
    /// </summary>
    [Range(0, 1440)]
    public double FutureToleranceMinutes { get; set; } = 10;

    /// <summary>Pings with a coarser accuracy radius (m) are rejected.</summary>
    [Range(1, 100_000)]
    public double MaxAccuracyM { get; set; } = 150;
}
