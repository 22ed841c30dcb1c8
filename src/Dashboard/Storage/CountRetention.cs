using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Storage;

/// <summary>
/// Deletes binned counts older than <see cref="StoreOptions.CountRetentionDays"/>, at start and then every few hours.
/// Alerts and the audit log are not touched: they are kept unless an operator decides otherwise.
/// </summary>
public sealed partial class CountRetention(ICountStore store, IOptions<StoreOptions> options, TimeProvider time, ILogger<CountRetention> log) : BackgroundService
{
    /// <summary>Time between sweeps.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(6);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                var cut = time.GetUtcNow() - TimeSpan.FromDays(options.Value.CountRetentionDays);
                var deleted = await store.DeleteBeforeAsync(cut.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                if (deleted > 0) Swept(log, deleted, cut);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException)
            {
                // The store may be down for a moment; the next sweep tries again.
                SweepFailed(log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Rows} count rows of slots before {Cut:O}")]
    private static partial void Swept(ILogger logger, long rows, DateTimeOffset cut);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; it runs again later")]
    private static partial void SweepFailed(ILogger logger, Exception error);
}
