using CrowdWatch.Dashboard.Hosting;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Live;

/// <summary>Live push: heat frames and alert events to the browsers over SignalR.</summary>
internal static class LiveHosting
{
    /// <summary>
    /// Registers the live settings, the heat frames (made on a worker node) and SignalR; with <c>Cluster:Redis</c>, Redis
    /// is SignalR's backplane, so a browser connected to any node receives every node's frames and events.
    /// </summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder, ClusterOptions cluster)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FrameSignal>();
        builder.Services.AddSingleton<HeatFrames>();
        if (cluster.Has(ClusterOptions.Worker))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<HeatFrames>());
            builder.Services.AddHostedService<CountListener>();
        }

        // JSON for any client, MessagePack beside it (smaller frames, cheaper to write): the page takes MessagePack.
        var signalR = builder.Services.AddSignalR().AddMessagePackProtocol();
        if (!string.IsNullOrWhiteSpace(cluster.Redis))
        {
            // A node starts, and goes on serving its own browsers, while Redis is away; it reconnects when Redis is back.
            var redis = ConfigurationOptions.Parse(cluster.Redis);
            redis.AbortOnConnectFail = false;
            redis.ChannelPrefix = RedisChannel.Literal("crowdwatch");
            signalR.AddStackExchangeRedis(o => o.Configuration = redis);
        }
        return builder;
    }
}
