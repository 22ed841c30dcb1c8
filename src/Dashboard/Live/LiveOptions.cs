using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Live;

/// <summary>The live hub's pushes.</summary>
public sealed class LiveOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Live";

    /// <summary>
    /// How often the store is looked at anyway (s): frames are pushed when counts are stored or a forecast run is saved;
    /// this poll is only the safety net for a writer the store cannot hear (another process on the embedded store).
    /// </summary>
    [Range(0.02, 86_400)]
    public double SafetyPollSeconds { get; set; } = 30;

    /// <summary>How long a wake waits for more writes before the frame is built (ms), so that a burst gives one frame.</summary>
    [Range(0, 1_000)]
    public int CoalesceMilliseconds { get; set; } = 10;

    /// <summary>
    /// The most a live connection's transport holds unsent (bytes, each way): a client that reads slower than frames
    /// come fills it, and then misses frames until its last one went out (it gets the newest whole frame then).
    /// </summary>
    [Range(4_096, 64 * 1024 * 1024)]
    public long ConnectionBufferBytes { get; set; } = 64 * 1024;
}
