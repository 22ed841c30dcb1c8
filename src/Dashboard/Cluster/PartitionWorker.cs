using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// A worker node's share of the ingest: it beats, takes by lease the partitions dealt to it among the live nodes,
/// keeps its leases, and pumps each partition it holds. A lost lease drops the partition's binners
/// unstored (its entries are still pending for the new owner). Redis or the store being away is waited out with
/// backoff; nothing is acknowledged meanwhile.
/// </summary>
public sealed partial class PartitionWorker(ClusterRedis redis, AreaCatalog catalog, ICountStore store, IOptions<ClusterOptions> cluster,
    IOptions<IngestOptions> ingest, TimeProvider time, ILogger<PartitionWorker> log) : BackgroundService
{
    private readonly Dictionary<string, PartitionBinner> _held = new(StringComparer.Ordinal);
    private readonly Leases _leases = new(redis, TimeSpan.FromSeconds(cluster.Value.LeaseSeconds));

    /// <summary>The partitions this node holds now ("area/block").</summary>
    public IReadOnlyCollection<string> Held => [.. _held.Keys];

    /// <summary>Records binned by this node since it started.</summary>
    public long Records { get; private set; }

    /// <summary>Entries this node took over from an earlier owner.</summary>
    public long Reclaimed { get; private set; }

    /// <summary>Every partition of the deployment: "area/block".</summary>
    private IEnumerable<(string Key, Geo.Areas.Area Area, int Block)> Partitions() =>
        catalog.Areas.Values.SelectMany(a => Enumerable.Range(0, CellBlocks.Of(a.Grid.Spec, cluster.Value.BlockCells).Count).Select(b => ($"{a.Name}/{b}", a, b)));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var renewedMs = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                if (now - renewedMs >= _leases.Life.TotalMilliseconds / 4)
                {
                    await KeepAndTakeAsync(now, stoppingToken).ConfigureAwait(false);
                    renewedMs = now;
                }

                var busy = false;
                var idleMs = (long)(ingest.Value.IdleCloseMinutes * 60_000);
                foreach (var (key, p) in _held.ToList())
                {
                    try
                    {
                        if (await p.PumpAsync(now, stoppingToken).ConfigureAwait(false)) busy = true;
                        else if (now - p.LastEntryMs >= idleMs) await p.AdvanceAsync(now, stoppingToken).ConfigureAwait(false);
                    }
                    catch (RedisServerException e) when (e.Message.Contains("NOGROUP", StringComparison.Ordinal))
                    {
                        // Redis came back without its data (no AOF): the partition is opened afresh on the next round.
                        await DropAsync(key, p).ConfigureAwait(false);
                        Forgotten(log, key);
                    }
                }

                Records = _held.Values.Sum(p => p.Records);
                backoff = TimeSpan.Zero;
                if (!busy) await Task.Delay(TimeSpan.FromMilliseconds(20), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RedisException or System.Data.Common.DbException or TimeoutException)
            {
                // Redis or the store is away: wait, doubling up to 10 s; the entries stay pending meanwhile.
                backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, Math.Max(200, backoff.TotalMilliseconds * 2)));
                Waiting(log, backoff.TotalSeconds, e.Message);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            }
        }

        await StopAsync().ConfigureAwait(false);
    }

    // Keeps the leases held (dropping a lost one), hands back what is dealt to another live node, and takes the free
    // partitions dealt to this one: partition i goes to the live node of rank i mod n (names in order), so three nodes
    // and four blocks hold 2, 1 and 1.
    private async Task KeepAndTakeAsync(long now, CancellationToken cancellationToken)
    {
        var live = await _leases.BeatAsync(now).ConfigureAwait(false);
        foreach (var (key, p) in _held.ToList())
        {
            if (await _leases.KeepAsync("partition:" + key).ConfigureAwait(false)) continue;
            _held.Remove(key);
            p.Dispose();
            Lost(log, key);
        }

        var all = Partitions().ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var (key, area, block) = all[i];
            var mine = Leases.IsDealt(i, live, _leases.Holder);
            if (!mine)
            {
                // Dealt to another node: handed back with its pending entries, for that node to claim.
                if (_held.TryGetValue(key, out var surplus))
                {
                    await DropAsync(key, surplus).ConfigureAwait(false);
                    HandedBack(log, key, live.Count);
                }

                continue;
            }

            if (_held.ContainsKey(key) || !await _leases.TryTakeAsync("partition:" + key).ConfigureAwait(false)) continue;
            try
            {
                var binner = await PartitionBinner.OpenAsync(area, block, redis.Database, store, redis.NodeId, TimeSpan.FromMinutes(ingest.Value.LatenessMinutes), now, cancellationToken).ConfigureAwait(false);
                _held[key] = binner;
                Reclaimed += binner.Reclaimed;
                Took(log, key, binner.Reclaimed);
            }
            catch
            {
                await _leases.ReleaseAsync("partition:" + key).ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task DropAsync(string key, PartitionBinner p)
    {
        _held.Remove(key);
        p.Dispose();
        await _leases.ReleaseAsync("partition:" + key).ConfigureAwait(false);
    }

    // A clean stop gives the leases back at once, so the next owner need not wait out their life; open slots stay pending.
    private async Task StopAsync()
    {
        foreach (var (key, p) in _held)
        {
            p.Dispose();
            try
            {
                await _leases.ReleaseAsync("partition:" + key).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is away: the lease runs out by itself.
            }
        }

        _held.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition}: taken ({Reclaimed} pending entries claimed)")]
    private static partial void Took(ILogger log, string partition, int reclaimed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition}: handed back for a fair share among {Nodes} nodes")]
    private static partial void HandedBack(ILogger log, string partition, int nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: lease lost; another node bins it now")]
    private static partial void Lost(ILogger log, string partition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition}: Redis lost its stream and group (was it run without an append-only file?); what it held and no worker had stored is gone")]
    private static partial void Forgotten(ILogger log, string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest log or store unavailable; retrying in {Seconds} s ({Reason})")]
    private static partial void Waiting(ILogger log, double seconds, string reason);
}
