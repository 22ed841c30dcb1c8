using System.Net;
using System.Text.Json;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Forecast.Storage;

namespace CrowdWatch.Dashboard.Tests.Forecasting;

public class ForecastsApiTests
{
    [Fact]
    public async Task The_newest_run_is_served_per_zone_and_cell_with_forecasts_under_k_hidden()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false");
        var origin = DateTimeOffset.Parse("2026-10-01T19:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        ForecastValue Value(string place, bool zone, int h, double mean) =>
            new(place, zone, h, origin + (h * 900_000L), mean, mean * 0.8, mean * 1.2, mean * 0.6, mean * 1.4, [0.9, 0.5, 0.2, 0.05]);
        var store = host.Services.GetRequiredService<IForecastStore>();
        await store.SaveRunAsync(new ForecastRun(Guid.NewGuid(), "hongyadong", origin - 1000, origin, "old", [Value("洪崖洞 Hongyadong", true, 1, 1)]));
        await store.SaveRunAsync(new ForecastRun(Guid.NewGuid(), "hongyadong", origin, origin, "lightgbm h=2",
            [Value("洪崖洞 Hongyadong", true, 2, 15000), Value("洪崖洞 Hongyadong", true, 1, 12000), Value("200", false, 1, 4)]));

        using (var zone = JsonDocument.Parse(await host.Http.GetStringAsync("/api/areas/hongyadong/forecasts/zones/洪崖洞 Hongyadong")))
        {
            Assert.Equal("lightgbm h=2", zone.RootElement.GetProperty("model").GetString());
            var slots = zone.RootElement.GetProperty("slots").EnumerateArray().ToList();
            Assert.Equal([1, 2], slots.Select(s => s.GetProperty("horizon").GetInt32()));
            Assert.Equal((12000, 9600, 16800), (slots[0].GetProperty("mean").GetDouble(), slots[0].GetProperty("low80").GetDouble(), slots[0].GetProperty("high95").GetDouble()));
            Assert.Equal("2026-10-01T19:30:00+08:00", slots[1].GetProperty("slotStart").GetString());
            Assert.Equal(0.2, slots[1].GetProperty("levelProbabilities")[2].GetDouble());
        }

        using (var cell = JsonDocument.Parse(await host.Http.GetStringAsync("/api/areas/hongyadong/forecasts/cells/200")))
        {
            var only = Assert.Single(cell.RootElement.GetProperty("slots").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, only.GetProperty("mean").ValueKind); // 4 people: under k = 10
            Assert.Equal("LOW_DENSITY", only.GetProperty("flag").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/areas/hongyadong/forecasts/zones/Nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/areas/nowhere/forecasts/cells/1")).StatusCode);
    }
}
