using CrowdWatch.Dashboard.Api;

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
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<AreasHealthCheck>("areas");

        var app = builder.Build();
        // Load the areas now: a bad deployment should stop the host at start with its reason, not fail requests later.
        _ = app.Services.GetRequiredService<AreaCatalog>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapAreasApi();
        app.MapLayersApi();
        app.MapHistoryApi();
        app.MapGet("/", () => TypedResults.Text("CrowdWatch is running. See /api/areas and /health.\n"));
        return app;
    }
}
