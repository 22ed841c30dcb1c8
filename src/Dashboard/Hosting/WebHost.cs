using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Api;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Dashboard.Storage;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>Builds and runs the ASP.NET Core host: REST API and health endpoints.</summary>
public static class WebHost
{
    /// <summary>Builds the application.</summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="services">Last changes to the services before the host is built (tests put in their own clock).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? services = null)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = WebRoot.Find(configured["CrowdWatch:WebRoot"]) });
        // The main job: with no configuration the sample city's National Day evening is replayed, on a clock of its own
        // and (on the embedded store, unless a folder is named) in a store of its own made afresh at each start.
        var replayOptions = builder.Configuration.GetSection(ReplayOptions.Section).Get<ReplayOptions>() ?? new ReplayOptions();
        var deploymentPath = builder.Configuration[$"{CrowdWatchOptions.Section}:Deployment"] ?? new CrowdWatchOptions().Deployment;
        var plan = ReplayPlan.Resolve(replayOptions, deploymentPath, out var noReplay);
        // A host on the embedded store nobody named tells the command line where its store is (host.json), so that
        // `crowdwatch keys issue` and `db export` work on the store this host uses.
        // CROWDWATCH_HOST_FILE names the file elsewhere, and then it is written for a named store too.
        var announceStore = (builder.Configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Embedded) == StoreOptions.Embedded
            && (builder.Configuration[$"{StoreOptions.Section}:DataDirectory"] is null || builder.Configuration["CROWDWATCH_HOST_FILE"] is { Length: > 0 });
        if (plan is not null && builder.Configuration[$"{StoreOptions.Section}:DataDirectory"] is null
            && (builder.Configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Embedded) == StoreOptions.Embedded)
        {
            var replayStore = Path.Combine(Path.GetDirectoryName(StoreOptions.DefaultDataDirectory)!, "replay");
            if (Directory.Exists(replayStore)) Directory.Delete(replayStore, recursive: true);
            builder.Configuration[$"{StoreOptions.Section}:DataDirectory"] = replayStore;
        }

        // Two hours ahead on four weeks of history fit in a fraction of the time of twelve hours on eight weeks (the
        // searches' lead warns hours further ahead without a fit): the replay runs within a minute of the host.
        if (plan is not null && builder.Configuration[$"{ForecastOptions.Section}:Horizons"] is null) builder.Configuration[$"{ForecastOptions.Section}:Horizons"] = "8";
        if (plan is not null && builder.Configuration[$"{ForecastOptions.Section}:HistoryDays"] is null) builder.Configuration[$"{ForecastOptions.Section}:HistoryDays"] = "28";

        builder.Services.AddOptions<CrowdWatchOptions>()
            .BindConfiguration(CrowdWatchOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.Deployment), "CrowdWatch:Deployment must name an existing deployment file")
            .ValidateOnStart();
        builder.Services.AddSingleton<AreaCatalog>();
        builder.Services.AddSingleton<Scenarios.ScenarioService>();
        builder.Services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != StoreOptions.Postgres || !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(StoreOptions.ConnectionName)),
                $"Store:Provider is '{StoreOptions.Postgres}' but ConnectionStrings:{StoreOptions.ConnectionName} is not set")
            .ValidateOnStart();
        // Opened, and its schema migrated, when the host starts (below), so that a store that cannot be reached stops
        // the host with its reason instead of failing requests later.
        builder.Services.AddSingleton(sp => Stores.OpenAsync(sp.GetRequiredService<IOptions<StoreOptions>>().Value,
            builder.Configuration.GetConnectionString(StoreOptions.ConnectionName)).GetAwaiter().GetResult());
        // One store holds everything: each part of the host asks for the contract it needs, and the configuration
        // alone decides which backend answers.
        builder.Services.AddSingleton(sp => (IAreaStore)sp.GetRequiredService<ICountStore>());
        builder.Services.AddSingleton(sp => (IForecastStore)sp.GetRequiredService<ICountStore>());
        builder.Services.AddSingleton(sp => (IAlertStore)sp.GetRequiredService<ICountStore>());
        builder.Services.AddSingleton(sp => (IAuditLog)sp.GetRequiredService<ICountStore>());
        builder.Services.AddSingleton(sp => (IApiKeys)sp.GetRequiredService<ICountStore>());
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section);
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveIngest>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveIngest>());
        if (plan is not null)
        {
            var clock = new ReplayClock(DateTimeOffset.FromUnixTimeMilliseconds(plan.FromMs), plan.Speed) { Paced = plan.Paced, PaceTimeout = TimeSpan.FromSeconds(plan.PaceTimeoutSeconds) };
            builder.Services.AddSingleton(plan);
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<EveningReplay>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EveningReplay>());
        }
        else
        {
            builder.Services.AddSingleton(TimeProvider.System);
        }

        builder.Services.AddHostedService<Retention>();
        builder.Services.AddOptions<ForecastOptions>().BindConfiguration(ForecastOptions.Section).ValidateDataAnnotations()
            .Validate(o => ModelCatalog.Names.Contains(o.Model), $"Forecast:Model must be one of {string.Join(", ", ModelCatalog.Names)}").ValidateOnStart();
        builder.Services.AddSingleton<ForecastRefresh>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForecastRefresh>());
        builder.Services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidation>();
        builder.Services.AddHttpClient("alerts", c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<AlertMetrics>();
        builder.Services.AddSingleton<RecipientBook>();
        builder.Services.AddSingleton<OutboxService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxService>());
        builder.Services.AddSingleton<AlertService>();
        // The live feed starts before the alert service, so that it hears every event from the first.
        builder.Services.AddSingleton<Live.AlertFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Live.AlertFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        builder.Services.AddOptions<Live.LiveOptions>().BindConfiguration(Live.LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Live.HeatFrames>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Live.HeatFrames>());
        builder.Services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        var limits = builder.Configuration.GetSection(ApiLimits.Section).Get<ApiLimits>() ?? new ApiLimits();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanView, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Viewer) || c.User.IsInRole(Roles.Operator) || c.User.IsInRole(Roles.Admin)
                || (limits.AnonymousViewers && c.User.Identity?.IsAuthenticated != true && c.Resource is HttpContext { Request.Headers.Authorization.Count: 0 })))
            .AddPolicy(Roles.CanOperate, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.CanAdminister, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.CanIngest, p => p.RequireRole(Roles.Ingest, Roles.Admin));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxRequestBytes);
        // Every caller gets its own window: an API key by its name, anyone else by address. The health probes are exempt.
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || http.Request.Path.StartsWithSegments("/alive", StringComparison.OrdinalIgnoreCase)
                    ? System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter("probe")
                    : System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                        http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        // Metrics: the host's own meters (alerts), ASP.NET Core's and the runtime's, scraped at /metrics (Prometheus text)
        // and pushed over OTLP where OTEL_EXPORTER_OTLP_ENDPOINT names a collector.
        builder.Services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(AlertMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) m.AddOtlpExporter();
        });
        builder.Services.AddOpenApi();
        builder.Services.AddSignalR();
        builder.Services.AddProblemDetails();
        // Binding failures are thrown (not answered with an empty 400) so that BadRequestProblems can say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddHealthChecks().AddCheck<AreasHealthCheck>("areas").AddCheck<StoreHealthCheck>("store");

        services?.Invoke(builder.Services);
        var app = builder.Build();
        // Load the areas now: a bad deployment should stop the host at start with its reason, not fail requests later.
        _ = app.Services.GetRequiredService<AreaCatalog>();
        _ = app.Services.GetRequiredService<ICountStore>();
        // The served areas go into the store as they are now (grid, cells, walkable layer, zones), so that spatial
        // questions asked of the store, PostGIS's among them, see the same cells and zones as the host.
        var areas = app.Services.GetRequiredService<IAreaStore>();
        foreach (var area in app.Services.GetRequiredService<AreaCatalog>().Areas.Values) areas.SaveAreaAsync(area).GetAwaiter().GetResult();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
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
        reads.MapHub<Live.LiveHub>("/hubs/live");
        app.MapIngestApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        // The OpenAPI document and a browsable reference, served from the package's own files (no CDN).
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "CrowdWatch API");
            o.RoutePrefix = "api/reference";
        });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var a in addresses) Console.WriteLine($"CrowdWatch dashboard: open {a.Replace("//[::]", "//localhost", StringComparison.Ordinal)}/");
            var storeOptions = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
            Console.WriteLine($"Store: {Stores.Describe(storeOptions, builder.Configuration.GetConnectionString(StoreOptions.ConnectionName))}"
                + (plan is not null && announceStore ? " (the replay's own, made anew at each start; the command line's verbs use it while this host runs)" : ""));
            if (announceStore)
            {
                var hostFile = builder.Configuration["CROWDWATCH_HOST_FILE"] is { Length: > 0 } f ? f : HostStoreFile.DefaultPath;
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
