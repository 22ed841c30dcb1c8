using CrowdWatch.Storage;

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
        // Each part of the host asks for the contract it needs; the configuration alone decides which backend answers.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Counts);
        builder.Services.AddSingleton(sp => (Geo.Storage.ICountChanges)sp.GetRequiredService<Store>().Counts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Areas);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Forecasts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Alerts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Audit);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Keys);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Store>().Sinks);
        // The served areas go into the store as they are (grid, cells, walkable layer, zones) before anything else
        // starts, so that spatial questions asked of the store, PostGIS's among them, see the host's cells and zones.
        builder.Services.AddHostedService<AreaSync>();
        builder.Services.AddHostedService<Retention>();
        return announce;
    }

    /// <summary>
    /// Opens the configured store (as the settings stand once every <c>Add*</c> has run: the replay names its own) and
    /// registers it; the host disposes of it when it stops.
    /// </summary>
    public static async Task<Store> OpenStoreAsync(this WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        var options = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        var store = await Stores.OpenAsync(options, builder.Configuration.GetConnectionString(StoreOptions.ConnectionName), cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton(_ => store);
        return store;
    }
}
