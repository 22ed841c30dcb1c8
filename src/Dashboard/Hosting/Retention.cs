using CrowdWatch.Alerts.Storage;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Access;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// Deletes binned counts older than <see cref="StoreOptions.CountRetentionDays"/>, at start and then every few hours;
/// audit entries and alerts only where <see cref="StoreOptions.AuditRetentionDays"/> or
/// <see cref="StoreOptions.AlertRetentionDays"/> is set: by default they are kept forever.
/// </summary>
public sealed partial class Retention(ICountStore store, IAuditLog audit, IAlertStore alerts, IOptions<StoreOptions> options, TimeProvider time,
    ILogger<Retention> log) : BackgroundService
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
                var now = time.GetUtcNow();
                var o = options.Value;
                var cut = now - TimeSpan.FromDays(o.CountRetentionDays);
                var deleted = await store.DeleteBeforeAsync(cut.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                if (deleted > 0) Swept(log, deleted, "count rows", cut);
                if (o.AuditRetentionDays is { } auditDays)
                {
                    var auditCut = now - TimeSpan.FromDays(auditDays);
                    if (await audit.DeleteAuditBeforeAsync(auditCut.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false) is > 0 and var n) Swept(log, n, "audit entries", auditCut);
                }

                if (o.AlertRetentionDays is { } alertDays)
                {
                    var alertCut = now - TimeSpan.FromDays(alertDays);
                    if (await alerts.DeleteAlertsBeforeAsync(alertCut.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false) is > 0 and var n) Swept(log, n, "alerts", alertCut);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException)
            {
                // The store may be down for a moment; the next sweep tries again.
                SweepFailed(log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} {What} from before {Cut:O}")]
    private static partial void Swept(ILogger logger, long count, string what, DateTimeOffset cut);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; it runs again later")]
    private static partial void SweepFailed(ILogger logger, Exception error);
}
