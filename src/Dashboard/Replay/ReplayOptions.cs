using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Replay;

/// <summary>
/// The main job on the sample city: a past evening replayed at an accelerated pace through ingest, binning,
/// forecasting and alerting. On by default; it runs where the deployment's area has a history and the replay's files
/// exist, and <c>Replay:Enabled=false</c> switches the host to live data only.
/// </summary>
public sealed class ReplayOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Replay";

    /// <summary>Whether to replay.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The area replayed (default: the first with a history).</summary>
    public string? Area { get; set; }

    /// <summary>First replayed slot, ISO 8601 with offset: the history before it is loaded at once.</summary>
    [Required]
    public string From { get; set; } = "2025-10-01T15:00:00+08:00";

    /// <summary>End of the replay, ISO 8601 with offset.</summary>
    [Required]
    public string To { get; set; } = "2025-10-01T23:00:00+08:00";

    /// <summary>Real seconds per replayed slot.</summary>
    [Range(0.05, 900)]
    public double SecondsPerSlot { get; set; } = 2;

    /// <summary>Raw pings replayed through the live binner where they cover a slot (CSV or NDJSON, .gz allowed), relative to the deployment file.</summary>
    public string Pings { get; set; } = "simulated/pings.csv.gz";

    /// <summary>Map-search records replayed with the pings, relative to the deployment file.</summary>
    public string Searches { get; set; } = "simulated/searches.csv.gz";

    /// <summary>
    /// Longest wait in real seconds for the first forecast before the clock starts anyway (the fit takes 20–60 s on two
    /// cores; warnings from the searches and the counts need none, and the forecast joins when it is ready).
    /// </summary>
    [Range(0, 600)]
    public int ForecastWaitSeconds { get; set; } = 150;

    /// <summary>
    /// Whether the clock waits for the host at every slot: it stops a few minutes past each slot's end until that slot
    /// is forecast and judged, so that a busy machine slows the evening down instead of changing what is warned of.
    /// The same replay gives the same alert events on an idle and on a loaded machine. <c>false</c>: the clock runs at
    /// its pace whatever the host does (data can then come late, as on a live feed).
    /// </summary>
    public bool Paced { get; set; } = true;

    /// <summary>Longest real wait of a paced replay for one slot's forecast or judgement before it goes on (logged).</summary>
    [Range(1, 3600)]
    public int PaceTimeoutSeconds { get; set; } = 120;
}
