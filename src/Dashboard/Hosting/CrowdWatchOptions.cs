using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>The host's settings, bound from the <c>CrowdWatch</c> configuration section.</summary>
public sealed class CrowdWatchOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "CrowdWatch";

    /// <summary>The deployment file naming the areas served.</summary>
    [Required]
    public string Deployment { get; set; } = CrowdWatch.Dashboard.Deployment.SampleDeployment.Locate();
}
