using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// Who owns what when several nodes run: a lease is a Redis key naming its holder with a time to live. A node takes a
/// free one (SET NX PX), keeps it by renewing it well inside its life (a script that extends it only for its holder),
/// and loses it when it stops renewing: a dead node's partitions and areas pass to another within one lease. Nodes
/// also beat in a sorted set, so that every node sees the same live nodes and the work is dealt out among them.
/// </summary>
public sealed class Leases(ClusterRedis redis, TimeSpan life)
{
    private const string Nodes = "crowdwatch:nodes";

    private static readonly LuaScript Renew = LuaScript.Prepare(
        "if redis.call('get', @key) == @holder then return redis.call('pexpire', @key, @ms) else return 0 end");

    private static readonly LuaScript Drop = LuaScript.Prepare(
        "if redis.call('get', @key) == @holder then return redis.call('del', @key) else return 0 end");

    /// <summary>How long a lease lives without renewal.</summary>
    public TimeSpan Life { get; } = life;

    /// <summary>This node's name, the holder named in its leases.</summary>
    public string Holder => redis.NodeId;

    /// <summary>The key of a lease on <paramref name="resource"/>.</summary>
    public static string KeyOf(string resource) => $"crowdwatch:lease:{resource}";

    /// <summary>Takes the lease on <paramref name="resource"/> if it is free (or already this node's); true if this node holds it now.</summary>
    public async Task<bool> TryTakeAsync(string resource)
    {
        var key = KeyOf(resource);
        if (await redis.Database.StringSetAsync(key, Holder, Life, When.NotExists).ConfigureAwait(false)) return true;
        return await KeepAsync(resource).ConfigureAwait(false);
    }

    /// <summary>Renews this node's lease on <paramref name="resource"/>; false if it is not (or no longer) this node's.</summary>
    public async Task<bool> KeepAsync(string resource) =>
        (long)await redis.Database.ScriptEvaluateAsync(Renew, new { key = (RedisKey)KeyOf(resource), holder = Holder, ms = (long)Life.TotalMilliseconds }).ConfigureAwait(false) == 1;

    /// <summary>Gives the lease back (a node stopping cleanly), if this node holds it.</summary>
    public async Task ReleaseAsync(string resource) =>
        await redis.Database.ScriptEvaluateAsync(Drop, new { key = (RedisKey)KeyOf(resource), holder = Holder }).ConfigureAwait(false);

    /// <summary>The holder of <paramref name="resource"/>'s lease, if any.</summary>
    public async Task<string?> HolderOfAsync(string resource) => await redis.Database.StringGetAsync(KeyOf(resource)).ConfigureAwait(false);

    /// <summary>
    /// Whether resource <paramref name="index"/> of a list is dealt to <paramref name="holder"/> among the
    /// <paramref name="live"/> nodes (in name order): index i to rank i mod n, or, <paramref name="fromLast"/>, to rank
    /// n - 1 - (i mod n), so that two lists dealt the two ways put their first items on different nodes.
    /// </summary>
    public static bool IsDealt(int index, IReadOnlyList<string> live, string holder, bool fromLast = false)
    {
        ArgumentNullException.ThrowIfNull(live);
        var rank = -1;
        for (var i = 0; i < live.Count && rank < 0; i++)
            if (live[i] == holder) rank = i;
        var dealt = index % live.Count;
        return rank == (fromLast ? live.Count - 1 - dealt : dealt);
    }

    /// <summary>Says this node is alive; returns the nodes that beat within one lease life (this one included), in name order.</summary>
    public async Task<IReadOnlyList<string>> BeatAsync(long nowMs)
    {
        var db = redis.Database;
        await db.SortedSetAddAsync(Nodes, Holder, nowMs).ConfigureAwait(false);
        await db.SortedSetRemoveRangeByScoreAsync(Nodes, double.NegativeInfinity, nowMs - (2 * Life.TotalMilliseconds)).ConfigureAwait(false);
        var live = await db.SortedSetRangeByScoreAsync(Nodes, nowMs - Life.TotalMilliseconds, double.PositiveInfinity).ConfigureAwait(false);
        return [.. live.Select(v => (string)v!).Append(Holder).Distinct().Order(StringComparer.Ordinal)];
    }
}
