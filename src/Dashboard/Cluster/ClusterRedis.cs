using CrowdWatch.Dashboard.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// The node's one connection to the Redis the nodes share (the ingest log and the leases; the SignalR backplane keeps
/// its own). It connects in the background and reconnects by itself, so a node starts and goes on while Redis is away.
/// </summary>
public sealed class ClusterRedis : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _connection;

    /// <summary>Prepares the connection to <see cref="ClusterOptions.Redis"/>.</summary>
    public ClusterRedis(IOptions<ClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(options.Value.Redis ?? throw new InvalidOperationException("Cluster:Redis is not set"));
        configuration.AbortOnConnectFail = false;
        // While Redis is away a command fails at once (the post answers 503) instead of waiting in a backlog.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 5000;
        configuration.AsyncTimeout = 5000;
        NodeId = options.Value.NodeName();
        _connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(configuration));
    }

    /// <summary>This node's name: its consumer name in the log's groups and the holder named in its leases.</summary>
    public string NodeId { get; }

    /// <summary>The database (commands fail with a <see cref="RedisException"/> while Redis is away).</summary>
    public IDatabase Database => _connection.Value.GetDatabase();

    /// <summary>Whether the connection is up now.</summary>
    public bool IsConnected => _connection.Value.IsConnected;

    /// <summary>Publish and subscribe (messages published while Redis is away are lost: pub/sub keeps nothing).</summary>
    public ISubscriber Subscriber => _connection.Value.GetSubscriber();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_connection.IsValueCreated) _connection.Value.Dispose();
    }
}
