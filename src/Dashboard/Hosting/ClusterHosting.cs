namespace CrowdWatch.Dashboard.Hosting;

/// <summary>This node's part when CrowdWatch runs as several (see <see cref="ClusterOptions"/>).</summary>
internal static class ClusterHosting
{
    /// <summary>Registers the cluster settings; returns them as configured, for the features that start by role.</summary>
    public static ClusterOptions AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
    }
}
