using System.Net;
using System.Text.Json;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrowdWatch.Dashboard.Tests.Hosting;

/// <summary>The host on each backend, chosen by configuration alone: what is stored is what the API serves, k-suppressed.</summary>
public abstract class HostStoreContract
{
    /// <summary>Command-line configuration that points the host at a new store of the backend under test.</summary>
    protected abstract Task<string[]> StoreArgumentsAsync();

    [Fact]
    public async Task Host_serves_stored_zone_and_cell_people_and_hides_those_under_k()
    {
        using var d = new TestDeployment();
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.DeploymentPath, .. await StoreArgumentsAsync()]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
        // The served area went into the store at start: its grid and zone are there for spatial questions.
        var kept = await app.Services.GetRequiredService<IAreaStore>().LoadAreaAsync("hongyadong");
        Assert.Equal(441, kept!.Grid.CellCount);
        Assert.Equal(["洪崖洞 Hongyadong"], kept.Zones);

        var slot = DateTimeOffset.Parse("2026-10-01T20:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var store = app.Services.GetRequiredService<ICountStore>();
        await store.WriteAsync(new CountBatch("hongyadong", "test", [slot, slot + 900_000],
            [new CountRecord(slot, "people", 200, 130), new CountRecord(slot, "people", 201, 4), new CountRecord(slot + 900_000, "people", 200, 90)])
        {
            ZoneRows = [new ZoneCountRecord(slot, "people", "洪崖洞 Hongyadong", 134), new ZoneCountRecord(slot + 900_000, "people", "洪崖洞 Hongyadong", 9)],
        });

        using (var zone = JsonDocument.Parse(await http.GetStringAsync(
            "/api/areas/hongyadong/counts/zones/洪崖洞 Hongyadong?from=2026-10-01T19:00:00%2B08:00&to=2026-10-01T21:00:00%2B08:00")))
        {
            var points = zone.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, points.Count);
            Assert.Equal("2026-10-01T20:00:00+08:00", points[0].GetProperty("slotStart").GetString());
            Assert.Equal(134, points[0].GetProperty("people").GetDouble());
            Assert.Equal(JsonValueKind.Null, points[1].GetProperty("people").ValueKind); // 9 people: under k = 10
            Assert.Equal("LOW_DENSITY", points[1].GetProperty("flag").GetString());
        }

        using (var cells = JsonDocument.Parse(await http.GetStringAsync("/api/areas/hongyadong/counts/cells?slot=2026-10-01T20:07:00%2B08:00")))
        {
            var byCell = cells.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetInt32());
            Assert.Equal(130, byCell[200].GetProperty("people").GetDouble());
            Assert.Equal("LOW_DENSITY", byCell[201].GetProperty("flag").GetString());
            Assert.Equal(JsonValueKind.Null, byCell[201].GetProperty("people").ValueKind);
            Assert.Equal(2, byCell.Count);
        }

        // The same slot as a heat map: GeoJSON cells with people, density and level, the one under k without them.
        var heat = await http.GetAsync("/api/areas/hongyadong/heatmap?slot=2026-10-01T20:07:00%2B08:00");
        Assert.Equal("application/geo+json", heat.Content.Headers.ContentType?.MediaType);
        using (var map = JsonDocument.Parse(await heat.Content.ReadAsStringAsync()))
        {
            var features = map.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("properties").GetProperty("cell").GetInt32(), f => f.GetProperty("properties"));
            Assert.Equal(130, features[200].GetProperty("people").GetDouble());
            Assert.True(features[200].TryGetProperty("level", out _));
            Assert.Equal("LOW_DENSITY", features[201].GetProperty("dataType").GetString());
            Assert.False(features[201].TryGetProperty("people", out _));
            Assert.Equal("Polygon", map.RootElement.GetProperty("features")[0].GetProperty("geometry").GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/areas/hongyadong/heatmap?slot=tonight")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/areas/hongyadong/counts/zones/洪崖洞 Hongyadong?from=yesterday&to=today")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/areas/hongyadong/counts/zones/Nowhere?from=2026-10-01T19:00:00%2B08:00&to=2026-10-01T21:00:00%2B08:00")).StatusCode);
        await app.StopAsync();
    }
}

public sealed class EmbeddedHostStoreTests : HostStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-host-store-{Guid.NewGuid():N}");

    protected override Task<string[]> StoreArgumentsAsync() => Task.FromResult<string[]>(["--Store:DataDirectory", _folder]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostStoreTests(PostgresServer server) : HostStoreContract
{
    protected override async Task<string[]> StoreArgumentsAsync() =>
        ["--Store:Provider", "postgres", "--ConnectionStrings:CrowdWatch", await server.NewDatabaseAsync()];
}
