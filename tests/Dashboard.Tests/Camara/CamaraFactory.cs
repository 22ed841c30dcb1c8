using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CrowdWatch.Dashboard.Tests.Camara;

/// <summary>
/// The host in memory on a 2 km grid by the Jialing (100 m cells, k 10) whose walkable layer is one strip: the cells it
/// crosses have their walkable area only there, so a geohash cell's share of them is not their ground's share.
/// </summary>
internal sealed class CamaraFactory : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly (string Key, string Value)[] _settings;

    public CamaraFactory(params (string Key, string Value)[] settings)
        : this(null, settings)
    {
    }

    /// <summary>With <paramref name="services"/> changed last (a store that fails, for example).</summary>
    public CamaraFactory(Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
        : this(null, services, settings)
    {
    }

    /// <summary>On <paramref name="folder"/>'s deployment and store, kept when disposed (a host started again on them); null: a new folder of its own.</summary>
    public CamaraFactory(string? folder, Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        (_folder, _keep) = folder is null ? (Path.Combine(Path.GetTempPath(), "crowdwatch-camara-" + Guid.NewGuid().ToString("N")), false) : (folder, true);
        _settings = settings;
        _services = services;
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "deployment.json"), """
        { "areas": [ { "name": "riverside", "centre": [106.5790, 29.5630], "widthM": 2000, "heightM": 2000, "cellSizeM": 100,
                       "timeZone": "Asia/Shanghai", "slotMinutes": 15, "panelFactor": 1, "k": 10, "walkableFraction": 0.35,
                       "walkableLayer": "walkable.geojson" } ] }
        """);
        // A promenade 60 m wide running north-east through the middle.
        File.WriteAllText(Path.Combine(_folder, "walkable.geojson"), """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
          "coordinates":[[[106.5735,29.5600],[106.5741,29.5597],[106.5851,29.5657],[106.5845,29.5660],[106.5735,29.5600]]]}}]}
        """);
    }

    private readonly Action<IServiceCollection>? _services;
    private readonly bool _keep;

    /// <summary>The folder of the deployment and the store.</summary>
    public string Folder => _folder;

    public IReadOnlyDictionary<string, string> Keys { get; private set; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CrowdWatch:Deployment", Path.Combine(_folder, "deployment.json"));
        builder.UseSetting("Store:DataDirectory", Path.Combine(_folder, "store"));
        builder.UseSetting("Forecast:Enabled", "false");
        builder.UseSetting("Replay:Enabled", "false");
        builder.UseSetting("Alerts:Enabled", "false");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    public async Task<CamaraFactory> StartAsync()
    {
        _ = Server;
        var keys = Services.GetRequiredService<IApiKeys>();
        var issued = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in Security.Roles.All) issued[role] = await keys.IssueAsync($"camara-{role}-{Guid.NewGuid():N}", role);
        Keys = issued;
        return this;
    }

    public HttpClient ClientAs(string? role)
    {
        var client = CreateClient();
        if (role is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Keys[role]);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || _keep) return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The store's file may still be closing; the temp folder is cleaned later.
        }
    }
}
