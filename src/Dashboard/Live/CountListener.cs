using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Live;

/// <summary>Keeps the store listening for other writers' counts (PostgreSQL's LISTEN/NOTIFY), which wake the frames.</summary>
internal sealed class CountListener(ICountChanges changes) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => changes.ListenAsync(stoppingToken);
}
