using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Tests.Forecasting;

public sealed class ForecastRefreshTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-refresh-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_host_forecasts_every_cell_and_zone_once_the_store_holds_enough_history()
    {
        using var d = new TestDeployment();
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", _folder,
            "--Forecast:Model", "historical-average", "--Forecast:Horizons", "8"]);
        // Fifteen days of a daily rhythm in two cells of the zone, up to the last closed slot.
        const long slotMs = 15 * 60_000L;
        var last = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slotMs * slotMs) - slotMs;
        var slots = Enumerable.Range(0, 15 * 96).Select(i => last - ((15 * 96 - 1 - i) * slotMs)).ToList();
        var rows = slots.SelectMany(s => new[]
        {
            new CountRecord(s, "people", 200, 100 + (50 * Math.Sin(s / 86_400_000.0 * 2 * Math.PI))),
            new CountRecord(s, "people", 201, 20),
        }).ToList();
        await app.Services.GetRequiredService<ICountStore>().WriteAsync(new CountBatch("hongyadong", "test", slots, rows));
        await app.StartAsync();

        var forecasts = app.Services.GetRequiredService<IForecastStore>();
        ForecastRun? run = null;
        for (var i = 0; i < 120 && run is null; i++)
        {
            run = await forecasts.LatestRunAsync("hongyadong");
            if (run is null) await Task.Delay(250);
        }

        Assert.NotNull(run);
        Assert.Equal(last, run.OriginSlotMs);
        Assert.StartsWith("historical-average", run.Model, StringComparison.Ordinal);
        var cell = await forecasts.ValuesAsync(run.Id, "200", isZone: false);
        Assert.Equal(Enumerable.Range(1, 8), cell.Select(v => v.Horizon));
        Assert.Equal(last + slotMs, cell[0].TargetSlotMs);
        Assert.Equal(8, (await forecasts.ValuesAsync(run.Id, "洪崖洞 Hongyadong", isZone: true)).Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_unknown_model_stops_the_host_with_the_models_it_knows()
    {
        using var d = new TestDeployment();
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", _folder,
            "--Forecast:Model", "prophet"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Forecast:Model must be one of historical-average", error.Message, StringComparison.Ordinal);
    }
}
