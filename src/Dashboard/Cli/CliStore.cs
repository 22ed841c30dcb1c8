using CrowdWatch.Dashboard.Storage;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>The store a verb works on, as the environment configures it (<c>Store__*</c>, <c>ConnectionStrings__CrowdWatch</c>).</summary>
/// <param name="Options">The store's settings.</param>
/// <param name="Connection">The PostgreSQL connection string, if any.</param>
internal sealed record CliStore(StoreOptions Options, string? Connection)
{
    /// <summary>The store the environment names.</summary>
    public static CliStore From(Func<string, string?> environment) =>
        new(StoreOptions.FromEnvironment(environment), environment($"ConnectionStrings__{StoreOptions.ConnectionName}"));

    /// <summary>Says which store it is, for messages.</summary>
    public string Description => Stores.Describe(Options, Connection);

    /// <summary>Opens it (creating or migrating its schema).</summary>
    public ICountStore Open() => Stores.OpenAsync(Options, Connection).GetAwaiter().GetResult();
}
