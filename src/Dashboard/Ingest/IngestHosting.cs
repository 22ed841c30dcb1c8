namespace CrowdWatch.Dashboard.Ingest;

/// <summary>Live ingest: the long-lived binners the ingest endpoints, the replay and the drop folder feed.</summary>
internal static class IngestHosting
{
    /// <summary>Registers the ingest settings and the live binners.</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveIngest>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveIngest>());
        return builder;
    }
}
