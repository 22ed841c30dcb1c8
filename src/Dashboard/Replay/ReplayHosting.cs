using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Replay;

/// <summary>The main job's replay of the sample city's evening, and every setting it changes, in one place.</summary>
internal static class ReplayHosting
{
    /// <summary>
    /// With no configuration the sample city's National Day evening is replayed on a clock of its own and (on the
    /// embedded store, unless a folder is named) in a store of its own made afresh at each start, with a shorter
    /// forecast horizon and history so that its first forecasts come within a minute or two. Without a replay the
    /// host runs on the system clock and live ingest. Returns the replay's plan, or null with the reason in
    /// <paramref name="noReplay"/>.
    /// </summary>
    public static ReplayPlan? AddReplay(this WebApplicationBuilder builder, out string noReplay)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(ReplayOptions.Section).Get<ReplayOptions>() ?? new ReplayOptions();
        var deploymentPath = configuration[$"{CrowdWatchOptions.Section}:Deployment"] ?? new CrowdWatchOptions().Deployment;
        var plan = ReplayPlan.Resolve(options, deploymentPath, out noReplay);
        if (plan is null)
        {
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<IIngestGate, LiveIngestGate>();
            return null;
        }

        if (configuration[$"{StoreOptions.Section}:DataDirectory"] is null && (configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Embedded) == StoreOptions.Embedded)
        {
            // The replay's own store: yesterday's replayed evening must not mix with today's.
            var replayStore = Path.Combine(Path.GetDirectoryName(StoreOptions.DefaultDataDirectory)!, "replay");
            if (Directory.Exists(replayStore)) Directory.Delete(replayStore, recursive: true);
            configuration[$"{StoreOptions.Section}:DataDirectory"] = replayStore;
        }

        // Two hours ahead on four weeks of history fit in a fraction of the time of twelve hours on eight weeks (the
        // searches' lead warns hours further ahead without a fit): the replay runs within a minute of the host.
        if (configuration[$"{ForecastOptions.Section}:Horizons"] is null) configuration[$"{ForecastOptions.Section}:Horizons"] = "8";
        if (configuration[$"{ForecastOptions.Section}:HistoryDays"] is null) configuration[$"{ForecastOptions.Section}:HistoryDays"] = "28";

        var clock = new ReplayClock(DateTimeOffset.FromUnixTimeMilliseconds(plan.FromMs), plan.Speed) { Paced = plan.Paced, PaceTimeout = TimeSpan.FromSeconds(plan.PaceTimeoutSeconds) };
        builder.Services.AddSingleton(plan);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IIngestGate>(clock);
        builder.Services.AddSingleton<EveningReplay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EveningReplay>());
        return plan;
    }
}
