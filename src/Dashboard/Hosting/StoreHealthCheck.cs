using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>Healthy when the store answers a query.</summary>
public sealed class StoreHealthCheck(ICountStore store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.SlotsOfSourceAsync("", "", cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("store answers");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("store does not answer", e);
        }
    }
}
