using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>The store a verb works on, as the environment configures it (<c>Store__*</c>, <c>ConnectionStrings__CrowdWatch</c>).</summary>
/// <param name="Options">The store's settings.</param>
/// <param name="Connection">The PostgreSQL connection string, if any.</param>
/// <param name="RunningHost">Whether it is the store of a host running now (found through <see cref="HostStoreFile"/>).</param>
internal sealed record CliStore(StoreOptions Options, string? Connection, bool RunningHost = false)
{
    /// <summary>
    /// The store the environment names; where it names none, the store of the host running now (the main job's
    /// replay store among them), else the default store.
    /// </summary>
    public static CliStore From(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = StoreOptions.FromEnvironment(environment);
        var connection = environment($"ConnectionStrings__{StoreOptions.ConnectionName}");
        var named = environment("Store__DataDirectory") is { Length: > 0 } || environment("Store__Provider") is { Length: > 0 } || connection is { Length: > 0 };
        if (!named && HostStoreFile.Running(environment("CROWDWATCH_HOST_FILE") is { Length: > 0 } file ? file : HostStoreFile.DefaultPath) is { } host)
        {
            options.DataDirectory = host.DataDirectory;
            return new CliStore(options, connection, RunningHost: true);
        }

        return new CliStore(options, connection);
    }

    /// <summary>Says which store it is, for messages.</summary>
    public string Description => Stores.Describe(Options, Connection) + (RunningHost ? " (the running host's store)" : "");

    /// <summary>Opens it (creating or migrating its schema).</summary>
    public Store Open() => Stores.OpenAsync(Options, Connection).GetAwaiter().GetResult();
}
