using CrowdWatch.Dashboard.Cluster;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// With several nodes: tells the others through Redis pub/sub when this node stored counts or saved a forecast run,
/// and wakes this node's frames when another one did, so every node's browsers get the frame at once where the store
/// cannot tell one node of another's writes (the embedded store's file shared by several processes). A word lost while Redis is away costs only latency: the safety poll
/// finds the slot.
/// </summary>
internal sealed class StoredRelay(ClusterRedis redis, FrameSignal signal, Geo.Storage.ICountChanges changes) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("crowdwatch:stored");

    // Who is speaking: this relay's own word is not news to it (node names may repeat, as hosts in one process do).
    private readonly string _self = $"{redis.NodeId}/{Guid.NewGuid():N}";

    private bool _subscribed;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Saved forecast runs always; stored counts only where the store does not tell every node of every write itself
        // (PostgreSQL's NOTIFY does: a second word would wake the frames twice).
        signal.WokenHere += Tell;
        if (!changes.HearsOtherWriters) changes.Stored += TellStored;
        // Subscribed before the host serves anyone, so that no other node's word is missed after start; with Redis away,
        // the host starts anyway and the subscription is tried again in the background.
        var connecting = System.Diagnostics.Stopwatch.StartNew();
        while (!redis.IsConnected && connecting.Elapsed < TimeSpan.FromSeconds(3)) await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        _subscribed = await TrySubscribeAsync().ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, the multiplexer keeps the subscription across reconnects.
        while (!_subscribed && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            _subscribed = await TrySubscribeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            await redis.Subscriber.SubscribeAsync(Channel, (_, from) =>
            {
                if (from != _self) signal.WakeFromElsewhere();
            }).ConfigureAwait(false);
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        signal.WokenHere -= Tell;
        changes.Stored -= TellStored;
        return base.StopAsync(cancellationToken);
    }

    private void TellStored(string area) => Tell();

    private void Tell()
    {
        try
        {
            redis.Subscriber.Publish(Channel, _self, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Away: the others' safety poll finds the slot.
        }
    }
}
