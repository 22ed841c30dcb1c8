namespace CrowdWatch.Dashboard.Live;

/// <summary>Live push: heat frames and alert events to the browsers over SignalR.</summary>
internal static class LiveHosting
{
    /// <summary>Registers the live settings, the heat frames and SignalR.</summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HeatFrames>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HeatFrames>());
        builder.Services.AddSignalR();
        return builder;
    }
}
