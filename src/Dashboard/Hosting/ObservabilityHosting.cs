using CrowdWatch.Dashboard.Alerting;
using OpenTelemetry.Metrics;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>What operators of the host watch: metrics, health, problem details and the OpenAPI document.</summary>
internal static class ObservabilityHosting
{
    /// <summary>Registers metrics, health checks, OpenAPI and problem details.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        // Metrics: the host's own meters (alerts), ASP.NET Core's and the runtime's, scraped at /metrics (Prometheus text)
        // and pushed over OTLP where OTEL_EXPORTER_OTLP_ENDPOINT names a collector.
        builder.Services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(AlertMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) m.AddOtlpExporter();
        });
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        // Binding failures are thrown (not answered with an empty 400) so that BadRequestProblems can say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddHealthChecks().AddCheck<AreasHealthCheck>("areas").AddCheck<StoreHealthCheck>("store");
        return builder;
    }
}
