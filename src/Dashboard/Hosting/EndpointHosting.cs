using CrowdWatch.Dashboard.Api;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>The host's pipeline and endpoints, and what it says on the console when it starts.</summary>
internal static class EndpointHosting
{
    /// <summary>The live hub's path.</summary>
    public const string LiveHubPath = "/hubs/live";

    /// <summary>The middleware, the web map's files, every API group, the hub, health, metrics and the API reference.</summary>
    public static WebApplication MapCrowdWatch(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseContentSecurityPolicy();
        // The web map: index.html, our scripts, and the npm packages copied into wwwroot/lib at build time.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        // Everything read is for viewers and up (operators and admins see exact counts); an ingest key reads nothing.
        var reads = app.MapGroup("").RequireAuthorization(Roles.CanView);
        reads.MapAreasApi();
        reads.MapLayersApi();
        reads.MapHistoryApi();
        reads.MapCountsApi();
        reads.MapAlertsApi();
        reads.MapForecastsApi();
        reads.MapMapApi();
        reads.MapZonesApi();
        reads.MapScenariosApi();
        // Bounded per connection: what a client has not read waits in at most this much, then frames skip it (FrameFanOut).
        var buffer = app.Services.GetRequiredService<IOptions<Live.LiveOptions>>().Value.ConnectionBufferBytes;
        reads.MapHub<Live.LiveHub>(LiveHubPath, o => (o.TransportMaxBufferSize, o.ApplicationMaxBufferSize) = (buffer, buffer));
        app.MapIngestApi();
        // CAMARA's APIs answer their own 401/403 with the CAMARA error body.
        Camara.PopulationDensityApi.MapPopulationDensityApi(app);
        Camara.RegionDeviceCountApi.MapRegionDeviceCountApi(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        // The OpenAPI document and a browsable reference, served from the package's own files (no CDN).
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "CrowdWatch API");
            o.RoutePrefix = "api/reference";
        });
        return app;
    }

    /// <summary>
    /// Once listening: the page's address, which store this host uses (and, where asked, host.json so that the
    /// command line finds it) and whether it replays or takes live data.
    /// </summary>
    public static WebApplication AnnounceOnStart(this WebApplication app, ReplayPlan? plan, string noReplay, bool announceStore)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var a in addresses) Console.WriteLine($"CrowdWatch dashboard: open {a.Replace("//[::]", "//localhost", StringComparison.Ordinal)}/");
            var storeOptions = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
            Console.WriteLine($"Store: {Stores.Describe(storeOptions, app.Configuration.GetConnectionString(StoreOptions.ConnectionName))}"
                + (plan is not null && announceStore ? " (the replay's own, made anew at each start; the command line's verbs use it while this host runs)" : ""));
            if (announceStore)
            {
                var hostFile = app.Configuration["CROWDWATCH_HOST_FILE"] is { Length: > 0 } f ? f : HostStoreFile.DefaultPath;
                new HostStoreFile(Environment.ProcessId, Path.GetFullPath(storeOptions.DataDirectory), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Write(hostFile);
                app.Lifetime.ApplicationStopping.Register(() => HostStoreFile.Remove(hostFile));
            }

            Console.WriteLine(plan is null
                ? $"Live data only ({noReplay}): post to /api/areas/{{name}}/ingest/... with an ingest key."
                : $"Replaying {plan.Area} from {DateTimeOffset.FromUnixTimeMilliseconds(plan.FromMs):yyyy-MM-dd HH:mm} UTC, one {plan.SlotMinutes}-minute slot every {plan.SecondsPerSlot} s (Replay:Enabled=false for live data only).");
        });
        return app;
    }
}
