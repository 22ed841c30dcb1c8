using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrowdWatch.Dashboard.Tests.Browser;

/// <summary>
/// The main job as README runs it (no configuration but a store folder and a shorter, faster evening): the sample
/// city's history goes in, the forecasts fit, the evening is replayed through the live binner and alerting, and the
/// page shows heat cells, forecast slots and Hongyadong's warning.
/// </summary>
[Collection(Alone.Name)]
public sealed class MainJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_no_configuration_the_host_replays_National_Day_evening_into_the_page_with_heat_forecasts_and_warnings()
    {
        var store = Path.Combine(Path.GetTempPath(), "cw-main-" + Guid.NewGuid().ToString("N"));
        await using var host = await RunningHost.StartAsync("--Store:DataDirectory", store,
            "--Replay:From", "2025-10-01T18:30:00+08:00", "--Replay:To", "2025-10-01T20:00:00+08:00", "--Replay:SecondsPerSlot", "1.5",
            // A busy test machine can take over a minute to fit: the clock waits for it, so the short evening is forecast throughout.
            "--Replay:ForecastWaitSeconds", "240");
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
            page.PageError += (_, e) => output.WriteLine($"page error: {e}");
            await page.GotoAsync(host.Address + "/");
            await page.WaitForFunctionAsync("() => window.cw && window.cw.mapReady", null, new PageWaitForFunctionOptions { Timeout = 30_000 });

            // Within the replay: Hongyadong's warning at Orange or Red in the panel, heat cells drawn, forecast slots offered
            // and new forecast runs announced over the hub.
            var alert = page.Locator("li.alert[data-place='zone:hongyadong']");
            await alert.WaitForAsync(new LocatorWaitForOptions { Timeout = 300_000 });
            var level = await alert.GetAttributeAsync("data-level");
            try
            {
                await page.WaitForFunctionAsync("() => window.cw.frames > 0 && window.cw.heat.size > 50 && window.cw.timeline.forecast.length > 0 && window.cw.forecastNotices > 0",
                    null, new PageWaitForFunctionOptions { Timeout = 90_000 });
            }
            catch (TimeoutException)
            {
                output.WriteLine(await page.EvaluateAsync<string>("() => JSON.stringify({ frames: window.cw.frames, heat: window.cw.heat.size, forecast: window.cw.timeline.forecast.length, notices: window.cw.forecastNotices })"));
                throw;
            }
            var replay = host.Services.GetRequiredService<EveningReplay>();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (replay.SlotsReplayed < 4 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
            await page.WaitForTimeoutAsync(1500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("main-job.png") });
            Assert.Contains(level, new[] { "orange", "red" });
            // The replay over, its clock stands at the end of the evening: Hongyadong's warning is still open.
            Assert.Equal(1, await alert.CountAsync());
            Assert.True(await page.EvaluateAsync<int>("() => window.cw.map.queryRenderedFeatures({ layers: ['cells-fill'] }).length") > 0);

            // The forecasts came from the store's history, and the raw pings of the evening went through the live binner.
            Assert.NotNull(await host.Services.GetRequiredService<IForecastStore>().LatestRunAsync("chongqing"));
            // Paced, the evening ends once its last slot is judged: every binned slot is in by then.
            await replay.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(180));
            var binned = await host.Services.GetRequiredService<ICountStore>().SlotsOfSourceAsync("chongqing", AreaIngest.PingSource);
            output.WriteLine($"slots replayed {replay.SlotsReplayed}, binned from pings {binned.Count}");
            Assert.NotEmpty(binned);
            // The raw pings begin at 18:59: the 18:45 slot comes from the counts alone, not from both.
            var firstWhole = DateTimeOffset.Parse("2025-10-01T19:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            // The raw pings of 19:00 to 20:00, the end of this replay, are binned: four slots, none after the end.
            Assert.Equal(Enumerable.Range(0, 4).Select(i => firstWhole + (i * 900_000L)), binned.Order());
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
