using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Api;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Dashboard.Storage;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>Builds and runs the ASP.NET Core host: REST API and health endpoints.</summary>
public static class WebHost
{
    /// <summary>Builds the application.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOptions<CrowdWatchOptions>()
            .BindConfiguration(CrowdWatchOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.Deployment), "CrowdWatch:Deployment must name an existing deployment file")
            .ValidateOnStart();
        builder.Services.AddSingleton<AreaCatalog>();
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
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<Retention>();
        builder.Services.AddOptions<ForecastOptions>().BindConfiguration(ForecastOptions.Section).ValidateDataAnnotations()
            .Validate(o => ModelCatalog.Names.Contains(o.Model), $"Forecast:Model must be one of {string.Join(", ", ModelCatalog.Names)}").ValidateOnStart();
        builder.Services.AddSingleton<ForecastRefresh>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForecastRefresh>());
        builder.Services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidation>();
        builder.Services.AddHttpClient("alerts", c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<AlertMetrics>();
        builder.Services.AddSingleton<OutboxService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxService>());
        builder.Services.AddSingleton<AlertService>();
        // The live feed starts before the alert service, so that it hears every event from the first.
        builder.Services.AddSingleton<Live.AlertFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Live.AlertFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanView, p => p.RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.CanOperate, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.CanAdminister, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.CanIngest, p => p.RequireRole(Roles.Ingest, Roles.Admin));
        builder.Services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        var limits = builder.Configuration.GetSection(ApiLimits.Section).Get<ApiLimits>() ?? new ApiLimits();
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
        builder.Services.AddHealthChecks().AddCheck<AreasHealthCheck>("areas").AddCheck<StoreHealthCheck>("store");

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
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapAreasApi();
        app.MapLayersApi();
        app.MapHistoryApi();
        app.MapCountsApi();
        app.MapAlertsApi();
        app.MapForecastsApi();
        app.MapIngestApi();
        app.MapHub<Live.LiveHub>("/hubs/live");
        app.MapPrometheusScrapingEndpoint("/metrics");
        // The OpenAPI document and a browsable reference, served from the package's own files (no CDN).
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "CrowdWatch API");
            o.RoutePrefix = "api/reference";
        });
        app.MapGet("/", () => TypedResults.Text("CrowdWatch is running. See /api/areas and /health.\n"));
        return app;
    }
}
