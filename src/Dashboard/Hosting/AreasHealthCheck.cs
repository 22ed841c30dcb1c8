using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>Healthy when the deployment's areas are loaded.</summary>
public sealed class AreasHealthCheck(AreaCatalog catalog) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.Areas.Count > 0
            ? HealthCheckResult.Healthy($"{catalog.Areas.Count} area(s) loaded")
            : HealthCheckResult.Unhealthy("no areas loaded"));
}
