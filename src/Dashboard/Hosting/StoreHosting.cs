using CrowdWatch.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>The store: its settings, the one database, each contract under its own interface, and its retention sweep.</summary>
internal static class StoreHosting
{
    /// <summary>
    /// Registers the configured store. Returns whether the host should tell the command line where its store is
    /// (host.json): on the embedded store nobody named, or wherever CROWDWATCH_HOST_FILE asks for it.
    /// </summary>
    public static bool AddStore(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var announce = (configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Embedded) == StoreOptions.Embedded
            && (configuration[$"{StoreOptions.Section}:DataDirectory"] is null || configuration["CROWDWATCH_HOST_FILE"] is { Length: > 0 });
        builder.Services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != StoreOptions.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(StoreOptions.ConnectionName)),
                $"Store:Provider is '{StoreOptions.Postgres}' but ConnectionStrings:{StoreOptions.ConnectionName} is not set")
            .ValidateOnStart();
        // Opened, and its schema migrated, when the host is built (the services below need it from their first
        // moment), so that a store that cannot be reached stops the host with its reason instead of failing requests later.
        builder.Services.AddSingleton(sp => Stores.OpenAsync(sp.GetRequiredService<IOptions<StoreOptions>>().Value,
            configuration.GetConnectionString(StoreOptions.ConnectionName)).GetAwaiter().GetResult());
        // Each part of the host asks for the contract it needs; the configuration alone decides which backend answers.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Counts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Areas);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Forecasts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Alerts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Audit);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Keys);
        // The served areas go into the store as they are (grid, cells, walkable layer, zones) before anything else
        // starts, so that spatial questions asked of the store, PostGIS's among them, see the host's cells and zones.
        builder.Services.AddHostedService<AreaSync>();
        builder.Services.AddHostedService<Retention>();
        return announce;
    }
}
