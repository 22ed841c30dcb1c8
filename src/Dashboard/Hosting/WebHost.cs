using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// Builds the ASP.NET Core host from its parts, each in its own <c>Add*</c> (services) or <c>Map*</c> (endpoints)
/// extension: deployment, store, ingest, replay, forecasting, alerting, live push, security, observability.
/// </summary>
public static class WebHost
{
    /// <summary>Builds the application.</summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="services">Last changes to the services before the host is built (tests put in their own clock).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? services = null)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebRoot.Find(configured["CrowdWatch:WebRoot"]) });
        builder.AddDeployment();
        var announceStore = builder.AddStore();
        builder.AddIngest();
        var plan = builder.AddReplay(out var noReplay);
        builder.AddForecasting();
        builder.AddAlerting();
        builder.AddLive();
        builder.AddApiSecurity();
        builder.AddObservability();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        // Load the areas and open the store now: a bad deployment or an unreachable store stops the host at start
        // with its reason, not failing requests later.
        _ = app.Services.GetRequiredService<AreaCatalog>();
        _ = app.Services.GetRequiredService<Store>();
        return app.MapCrowdWatch().AnnounceOnStart(plan, noReplay, announceStore);
    }

    /// <summary>The deployment's areas, the map's settings and the scenario service over them.</summary>
    private static WebApplicationBuilder AddDeployment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrowdWatchOptions>()
            .BindConfiguration(CrowdWatchOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.Deployment), "CrowdWatch:Deployment must name an existing deployment file")
            .ValidateOnStart();
        builder.Services.AddSingleton<AreaCatalog>();
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section);
        builder.Services.AddSingleton<Scenarios.ScenarioService>();
        return builder;
    }
}
