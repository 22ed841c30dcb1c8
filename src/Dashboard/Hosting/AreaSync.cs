using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>At start, writes the served areas into the store as they are now; a bad deployment stops the host here.</summary>
internal sealed class AreaSync(AreaCatalog catalog, IAreaStore areas) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var area in catalog.Areas.Values) await areas.SaveAreaAsync(area, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
