namespace CrowdWatch.Dashboard.Hosting;

/// <summary>This node's part when CrowdWatch runs as several (see <see cref="ClusterOptions"/>).</summary>
internal static class ClusterHosting
{
    /// <summary>Registers the cluster settings; returns them as configured, for the features that start by role.</summary>
    public static ClusterOptions AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (!cluster.Shared)
        {
            builder.Services.AddSingleton<IAreaOwnership, SoleOwnership>();
            return cluster;
        }

        // Several nodes: ingest goes through the log in Redis; a worker bins the partitions and judges the areas it holds.
        builder.Services.AddSingleton<Cluster.ClusterRedis>();
        builder.Services.AddSingleton<Cluster.IngestLog>();
        builder.Services.AddSingleton<Cluster.AreaLeases>();
        builder.Services.AddSingleton<IAreaOwnership>(sp => sp.GetRequiredService<Cluster.AreaLeases>());
        if (cluster.Has(ClusterOptions.Worker))
        {
            builder.Services.AddSingleton<Cluster.PartitionWorker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Cluster.PartitionWorker>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Cluster.AreaLeases>());
        }

        return cluster;
    }
}
