using CrowdWatch.Dashboard.Camara;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Security;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// Builds the ASP.NET Core host from its parts, each in its own <c>Add*</c> (services) or <c>Map*</c> (endpoints)
/// extension: deployment, store, ingest, replay, forecasting, alerting, live push, security, observability.
/// </summary>
public static class WebHost
{
    /// <summary>Builds the application; the store is opened (and its schema migrated) first.</summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="services">Last changes to the services before the host is built (tests put in their own clock).</param>
    /// <param name="cancellationToken">Stops opening the store.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<IServiceCollection>? services = null, CancellationToken cancellationToken = default)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebRoot.Find(configured["CrowdWatch:WebRoot"]) });
        builder.AddDeployment();
        var cluster = builder.AddCluster();
        var announceStore = builder.AddStore();
        builder.AddIngest();
        var plan = builder.AddReplay(out var noReplay);
        builder.AddForecasting(cluster);
        builder.AddAlerting(cluster);
        builder.AddLive(cluster);
        builder.AddCamara(cluster);
        builder.AddApiSecurity();
        builder.AddObservability();
        services?.Invoke(builder.Services);

        // A store that cannot be reached stops the host here with its reason instead of failing requests later.
        var store = await builder.OpenStoreAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var app = builder.Build();
            // Load the areas now: a bad deployment stops the host at start with its reason.
            _ = app.Services.GetRequiredService<AreaCatalog>();
            return app.MapCrowdWatch().AnnounceOnStart(plan, noReplay, announceStore);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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
