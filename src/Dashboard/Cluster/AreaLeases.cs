using System.Collections.Concurrent;
using CrowdWatch.Dashboard.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// Who judges each area when several nodes run: a worker beats, takes by lease the areas dealt to it among the live
/// nodes (area i to the node of rank n - 1 - i mod n, so the judging sits apart from the first partitions), keeps its
/// leases and hands back what is dealt elsewhere. The last slot judged is kept in Redis next to the lease and written
/// only by the lease's holder, so a new owner carries on from the slot after it. A node that dies is replaced within
/// one lease life and a quarter (the renewal period). On a node that is not a worker nothing is held. While Redis is
/// away a judge keeps judging what it held (no other node can take it meanwhile, and the store refuses any event that
/// contradicts another writer): warnings go on through a Redis outage.
/// </summary>
public sealed partial class AreaLeases(ClusterRedis redis, AreaCatalog catalog, IOptions<ClusterOptions> cluster, TimeProvider time, ILogger<AreaLeases> log)
    : BackgroundService, IAreaOwnership
{
    // Sets the judged mark (never backwards) only while the caller holds the area's lease.
    private static readonly LuaScript Mark = LuaScript.Prepare(
        "if redis.call('get', @lease) ~= @holder then return 0 end "
        + "local was = tonumber(redis.call('get', @mark)) "
        + "if was == nil or was < tonumber(@slot) then redis.call('set', @mark, @slot) end return 1");

    private readonly ConcurrentDictionary<string, long> _terms = new(StringComparer.Ordinal);
    private readonly Leases _leases = new(redis, TimeSpan.FromSeconds(cluster.Value.LeaseSeconds));
    private long _lastTerm;

    /// <inheritdoc />
    public bool Shared => true;

    /// <summary>The areas this node judges now.</summary>
    public IReadOnlyCollection<string> Held => [.. _terms.Keys];

    /// <inheritdoc />
    public long TermOf(string area) => _terms.GetValueOrDefault(area);

    /// <inheritdoc />
    public event Action<string>? Taken;

    /// <inheritdoc />
    public async Task<long?> JudgedThroughAsync(string area, CancellationToken cancellationToken = default)
    {
        var value = await redis.Database.StringGetAsync(MarkKey(area)).ConfigureAwait(false);
        return value.IsNull ? null : (long)value;
    }

    /// <inheritdoc />
    public async Task<bool> MarkJudgedAsync(string area, long slotMs, CancellationToken cancellationToken = default)
    {
        try
        {
            var done = (long)await redis.Database.ScriptEvaluateAsync(Mark,
                new { lease = (RedisKey)Leases.KeyOf(Resource(area)), mark = (RedisKey)MarkKey(area), holder = _leases.Holder, slot = slotMs }).ConfigureAwait(false) == 1;
            if (!done) Drop(area);
            return done;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis away: judging goes on; a later owner starts from an older mark at worst, and the store refuses repeats.
            return true;
        }
    }

    /// <summary>The lease name of <paramref name="area"/>'s judging.</summary>
    public static string Resource(string area) => $"judge:{area}";

    private static string MarkKey(string area) => $"crowdwatch:judged:{area}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = _leases.Life / 4;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await KeepAndTakeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis away: this node goes on judging what it holds until Redis answers that another node holds it.
                Waiting(log, e.Message);
            }

            try
            {
                await Task.Delay(period, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var area in _terms.Keys)
        {
            Drop(area);
            try
            {
                await _leases.ReleaseAsync(Resource(area)).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // The lease runs out by itself.
            }
        }
    }

    private async Task KeepAndTakeAsync()
    {
        var live = await _leases.BeatAsync(time.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
        var areas = catalog.Areas.Keys.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < areas.Count; i++)
        {
            var area = areas[i];
            var mine = Leases.IsDealt(i, live, _leases.Holder, fromLast: true);
            var held = _terms.ContainsKey(area);
            if (held && !mine)
            {
                Drop(area);
                await _leases.ReleaseAsync(Resource(area)).ConfigureAwait(false);
                HandedBack(log, area, live.Count);
            }
            else if (held && !await _leases.KeepAsync(Resource(area)).ConfigureAwait(false))
            {
                Drop(area);
                Lost(log, area);
            }
            else if (!held && mine && await _leases.TryTakeAsync(Resource(area)).ConfigureAwait(false))
            {
                _terms[area] = Interlocked.Increment(ref _lastTerm);
                Took(log, area);
                Taken?.Invoke(area);
            }
        }
    }

    private void Drop(string area) => _terms.TryRemove(area, out _);

    [LoggerMessage(Level = LogLevel.Information, Message = "Area {Area}: judged here now")]
    private static partial void Took(ILogger log, string area);

    [LoggerMessage(Level = LogLevel.Information, Message = "Area {Area}: handed back for a fair share among {Nodes} nodes")]
    private static partial void HandedBack(ILogger log, string area, int nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Area {Area}: lease lost; another node judges it now")]
    private static partial void Lost(ILogger log, string area);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Area judging: Redis unavailable; judging what this node held until it is back ({Reason})")]
    private static partial void Waiting(ILogger log, string reason);
}
