using CrowdWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.SignalR;
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
        builder.Services.AddSingleton<FrameFanOut>();
        builder.Services.AddSingleton<HeatFrames>();
        // Every node with browsers draws its own frames from the shared store; another node's writes wake it through
        // the store's notifications (PostgreSQL) or Redis.
        if (cluster.Has(ClusterOptions.FrontEnd))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<HeatFrames>());
            builder.Services.AddHostedService<CountListener>();
        }

        if (cluster.Shared) builder.Services.AddHostedService<StoredRelay>();

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

        // SignalR's own lifetime manager (in process, or Redis) under ours, which also writes the frames to this node's connections.
        var own = builder.Services.Last(s => s.ServiceType == typeof(HubLifetimeManager<>)).ImplementationType!.MakeGenericType(typeof(LiveHub));
        builder.Services.AddSingleton(own);
        builder.Services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => new LiveLifetime((HubLifetimeManager<LiveHub>)sp.GetRequiredService(own), sp.GetRequiredService<FrameFanOut>()));
        return builder;
    }
}
