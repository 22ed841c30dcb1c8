using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Live;

/// <summary>The live hub's pushes.</summary>
public sealed class LiveOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Live";

    /// <summary>How often the store is looked at for a new slot or forecast run (ms).</summary>
    [Range(20, 60_000)]
    public int FramePollMilliseconds { get; set; } = 500;
}
