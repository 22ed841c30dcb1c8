using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage.Access;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrowdWatch.Dashboard.Tests.Browser;

/// <summary>
/// The web map in Debian's Chromium against the running host on the sample city (replay off, a store of its own):
/// base map and heat cells drawn, a surge posted to the ingest API shows as a Red warning with a banner, and an
/// acknowledgement in one browser reaches a second one. Screenshots go to TestResults/screenshots.
/// </summary>
[Collection(Alone.Name)]
public sealed class DashboardPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long SlotMs = 900_000;
    private readonly string _store = Path.Combine(Path.GetTempPath(), "cw-browser-" + Guid.NewGuid().ToString("N"));
    private RunningHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync("--Replay:Enabled", "false", "--Store:DataDirectory", _store, "--Forecast:Enabled", "false",
            "--Alerts:PollMilliseconds", "100");
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_store, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the closing store: the temp folder is cleaned later.
        }
    }

    private async Task<IPage> OpenAsync(string? key = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => output.WriteLine($"console {m.Type}: {m.Text}");
        page.PageError += (_, e) => output.WriteLine($"page error: {e}");
        await page.GotoAsync(_host.Address + "/");
        if (key is not null)
        {
            await page.FillAsync("#key", key);
            await page.DispatchEventAsync("#key", "change");
        }

        // Ready: the map's style and the live layers are loaded, and the hub is connected.
        await page.WaitForFunctionAsync("() => window.cw && window.cw.mapReady && document.querySelector('#status').dataset.state === 'connected'",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        return page;
    }

    // Per-cell people of one slot as NDJSON, posted with an ingest key.
    private async Task PostCountsAsync(string key, long slotMs, IEnumerable<(int Cell, double People)> cells)
    {
        var lines = new StringBuilder();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(slotMs).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        foreach (var (cell, people) in cells)
            lines.Append(CultureInfo.InvariantCulture, $$"""{"slotStart":"{{at}}","cell":{{cell}},"channel":"people","value":{{people}}}""").Append('\n');
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/chongqing/ingest/counts") { Content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private (int[] Hongyadong, int[] Elsewhere) Cells()
    {
        var area = _host.Services.GetRequiredService<AreaCatalog>().Areas["chongqing"];
        var z = area.Zones.Zones.Select((zone, i) => (zone, i)).Single(p => p.zone.Name == "hongyadong").i;
        var inZone = area.Zones.Overlaps[z].Where(o => o.CellFraction > 0.5).Select(o => o.CellId).ToArray();
        var elsewhere = area.Zones.Overlaps.Where((_, i) => i != z).SelectMany(o => o).Select(o => o.CellId).Except(inZone).Distinct().ToArray();
        return (inZone, elsewhere);
    }

    // Hongyadong far over its capacity in the last complete slot and the current one.
    private async Task SurgeAsync(string ingestKey)
    {
        var (hongyadong, _) = Cells();
        var s0 = LastCompleteSlot();
        await PostCountsAsync(ingestKey, s0, hongyadong.Select(c => (c, 4000.0)));
        await PostCountsAsync(ingestKey, s0 + SlotMs, hongyadong.Select(c => (c, 4000.0)));
    }

    private static long LastCompleteSlot() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - SlotMs;

    [Fact]
    public async Task The_page_shows_the_base_map_and_the_heat_cells_posted_to_the_store()
    {
        var ingest = await _host.Services.GetRequiredService<IApiKeys>().IssueAsync("feed", "ingest");
        var (hongyadong, elsewhere) = Cells();
        await PostCountsAsync(ingest, LastCompleteSlot(), elsewhere.Select((c, i) => (c, 20.0 + (i % 7 * 30))).Concat(hongyadong.Select(c => (c, 150.0))));
        var page = await OpenAsync();
        // Heat cells arrive (from the heat map of the newest slot, then from live frames) and are drawn.
        await page.WaitForFunctionAsync("() => window.cw.heat.size > 0 && window.cw.map.queryRenderedFeatures({ layers: ['cells-fill'] }).length > 0",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        var drawn = await page.EvaluateAsync<int>("() => window.cw.map.queryRenderedFeatures({ layers: ['cells-fill'] }).length");
        var roads = await page.EvaluateAsync<int>("() => window.cw.map.queryRenderedFeatures({ layers: ['roads', 'water'] }).length");
        var zones = await page.Locator(".zone-marker").CountAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-heat.png") });
        output.WriteLine($"cells drawn {drawn}, base map features {roads}, zone markers {zones}");
        Assert.True(drawn > 0);
        Assert.True(roads > 0, "the sample's base map (roads, rivers) is drawn");
        Assert.Equal(12, zones);
        // Clicking a crowded cell charts that cell: its title names it and its observed people are drawn.
        var target = await page.EvaluateAsync<double[]>(@"async () => {
            const map = window.cw.map;
            const busy = [...window.cw.heat.values()].filter(c => c.p >= 100);
            const ring = window.cw.cells.get(busy[0].c).coordinates[0];
            const centre = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
            map.jumpTo({ center: centre, zoom: 17 });
            await new Promise(r => map.once('idle', r));
            const box = document.getElementById('map').getBoundingClientRect();
            // Off the zone labels: the cell's centre, or a point beside it inside the cell.
            for (const [dx, dy] of [[0, 0], [-0.3, -0.3], [0.3, 0.3], [-0.3, 0.3], [0.3, -0.3]]) {
                const p = map.project([centre[0] + dx * (ring[2][0] - ring[0][0]), centre[1] + dy * (ring[2][1] - ring[0][1])]);
                const x = box.left + p.x, y = box.top + p.y;
                if (document.elementFromPoint(x, y)?.tagName === 'CANVAS') return [x, y, busy[0].c];
            }
            return [0, 0, -1];
        }");
        Assert.NotEqual(-1, target[2]);
        await page.Mouse.ClickAsync((float)target[0], (float)target[1]);
        await page.WaitForFunctionAsync($"() => document.querySelector('#chart-title').textContent.includes('#{target[2]}')", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-cell-chart.png") });

        // The language switch changes the page's words.
        await page.ClickAsync("#lang");
        Assert.Equal("Warnings", await page.InnerTextAsync("aside h2"));
    }

    [Fact]
    public async Task A_scenario_run_in_the_page_lists_its_warnings_and_limit_and_plays_back_on_the_map()
    {
        var key = await _host.Services.GetRequiredService<IApiKeys>().IssueAsync("planner", "operator");
        var page = await OpenAsync(key);
        // The form asks the planner's question (the sample's scenario file, national-day-hongyadong-plus30.json) and writes the JSON that runs.
        await page.ClickAsync("#scenario summary");
        await page.FillAsync("#sf-from", "2026-10-01T12:00");
        await page.FillAsync("#sf-to", "2026-10-02T00:00");
        await page.SelectOptionAsync("#sf-change-zone", "hongyadong");
        await page.FillAsync("#sf-change-percent", "30");
        await page.ClickAsync("#scenario-apply");
        using (var written = System.Text.Json.JsonDocument.Parse(await page.InputValueAsync("#scenario-json")))
        {
            var change = written.RootElement.GetProperty("changes")[0];
            Assert.Equal("hongyadong", change.GetProperty("zone").GetString());
            Assert.Equal(1.3, change.GetProperty("factor").GetDouble(), 6);
            Assert.Equal("2026-10-02T00:00", written.RootElement.GetProperty("to").GetString());
        }

        await page.ClickAsync("#scenario-run");
        // The scenario's own history comes from the sample's history file (this host's store is empty).
        await page.WaitForFunctionAsync("() => (window.cw.scenario && document.querySelectorAll('#scenario-results tr[data-zone]').length > 0) || document.querySelector('#scenario-status').className === 'error'",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.NotEqual("error", await page.GetAttributeAsync("#scenario-status", "class"));
        var row = page.Locator("#scenario-results tr[data-zone='hongyadong']");
        var cells = await row.Locator("td").AllInnerTextsAsync();
        output.WriteLine(string.Join(" | ", cells));
        Assert.Contains(cells[1], new[] { "红色", "Red" });
        Assert.Matches(@"^\d{2}:\d{2}$", cells[4]); // its first Red warning
        Assert.Matches(@"^\d+", cells[6]); // the recommended limit, people a minute
        Assert.True(string.CompareOrdinal(cells[4], cells[5]) < 0, $"Red at {cells[4]} with 30% more, {cells[5]} in the baseline");

        // The map shows the scenario at its worst moment: crowded cells drawn, Hongyadong's gauge at Red.
        await page.WaitForFunctionAsync("() => window.cw.map.queryRenderedFeatures({ layers: ['cells-fill'] }).length > 0", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal("red", await page.GetAttributeAsync(".zone-marker[data-zone='hongyadong']", "data-level"));
        var redCells = await page.EvaluateAsync<int>("() => [...window.cw.heat.values()].filter(c => c.l === 4).length");
        Assert.True(redCells > 0);
        // The slot shown is the zone's peak, as its row says: "4.20 (20:25)".
        Assert.Contains(cells[2][(cells[2].IndexOf('(', StringComparison.Ordinal) + 1)..^1], await page.InnerTextAsync("#slot-label"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("scenario.png") });

        // Playback moves through the evening; at midnight the crowd has gone home.
        await page.EvalOnSelectorAsync("#slider", "s => { s.value = s.max; s.dispatchEvent(new Event('input')); }");
        Assert.Equal("none", await page.GetAttributeAsync(".zone-marker[data-zone='hongyadong']", "data-level"));
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => window.cw.scenarioPoint > 3", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await page.ClickAsync("#play");
        // Back to the live map.
        await page.ClickAsync("#live");
        Assert.Null(await page.EvaluateAsync<object?>("() => window.cw.scenario"));
    }

    [Fact]
    public async Task An_operators_page_follows_exact_frames_and_a_viewers_page_frames_without_a_number_under_k()
    {
        var keys = _host.Services.GetRequiredService<IApiKeys>();
        var ingest = await keys.IssueAsync("feed", "ingest");
        var duty = await keys.IssueAsync("duty-officer", "operator");
        var k = _host.Services.GetRequiredService<AreaCatalog>().Areas["chongqing"].K.K;
        var (_, elsewhere) = Cells();
        var operatorPage = await OpenAsync(duty);
        var viewerPage = await OpenAsync();
        // A live frame of a slot newer than the page's: one busy cell and one with fewer people than k.
        var (busy, few) = (elsewhere[0], elsewhere[1]);
        await PostCountsAsync(ingest, LastCompleteSlot() + SlotMs, [(busy, 150.0), (few, k - 1)]);
        foreach (var page in new[] { operatorPage, viewerPage })
            await page.WaitForFunctionAsync($"() => window.cw.heat.get({busy})?.p === 150 && window.cw.heat.has({few})", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal(k - 1, await operatorPage.EvaluateAsync<int?>($"() => window.cw.heat.get({few}).p"));
        Assert.Null(await viewerPage.EvaluateAsync<int?>($"() => window.cw.heat.get({few}).p"));
    }

    [Fact]
    public async Task A_surge_posted_to_ingest_shows_a_Red_warning_within_10_s_and_its_acknowledgement_reaches_a_second_browser()
    {
        var keys = _host.Services.GetRequiredService<IApiKeys>();
        var ingest = await keys.IssueAsync("feed", "ingest");
        var duty = await keys.IssueAsync("duty-officer", "operator");
        var first = await OpenAsync(duty);
        var second = await OpenAsync();
        Assert.Equal(0, await first.Locator("li.alert").CountAsync());
        // The page speaks MessagePack to the hub (smaller, faster frames); the warning below comes that way.
        Assert.Equal("messagepack", await second.EvaluateAsync<string>("() => window.cw.protocol"));

        var posted = System.Diagnostics.Stopwatch.StartNew();
        await SurgeAsync(ingest);
        var alert = first.Locator("li.alert[data-place='zone:hongyadong']");
        await alert.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        output.WriteLine($"alert shown {posted.Elapsed.TotalSeconds:0.0} s after the post");
        Assert.True(posted.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains(await alert.GetAttributeAsync("data-level"), new[] { "orange", "red" });
        Assert.False(await first.Locator("#banner").IsHiddenAsync(), "a banner announces the Orange or Red warning");
        await first.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-alert.png") });

        // The second browser has it too, not yet acknowledged; the first acknowledges with a note.
        var mirrored = second.Locator("li.alert[data-place='zone:hongyadong']");
        await mirrored.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.NotEqual("acknowledged", await mirrored.GetAttributeAsync("data-state"));
        await alert.Locator("textarea.note").FillAsync("stewards sent to the lower exits");
        await alert.Locator("button.ack").ClickAsync();
        await second.WaitForSelectorAsync("li.alert[data-place='zone:hongyadong'][data-state='acknowledged']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-acknowledged.png") });

        // Its history names who acknowledged, with the note.
        var mirroredAck = second.Locator("li.alert[data-place='zone:hongyadong']");
        await mirroredAck.Locator("button.show-history").ClickAsync();
        await second.WaitForSelectorAsync("li.alert[data-place='zone:hongyadong'] ol.history li:has-text('duty-officer')", new PageWaitForSelectorOptions { Timeout = 5_000 });
        Assert.Contains("stewards sent to the lower exits", await mirroredAck.Locator("ol.history").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_with_markup_shows_as_text_in_the_history_and_runs_nothing()
    {
        var keys = _host.Services.GetRequiredService<IApiKeys>();
        var page = await OpenAsync(await keys.IssueAsync("duty-officer", "operator"));
        await SurgeAsync(await keys.IssueAsync("feed", "ingest"));
        var alert = page.Locator("li.alert[data-place='zone:hongyadong']");
        await alert.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });

        const string note = "<img src=x onerror=\"window.__xss=1\"><b>bold</b>";
        await alert.Locator("textarea.note").FillAsync(note);
        await alert.Locator("button.ack").ClickAsync();
        await page.WaitForSelectorAsync("li.alert[data-place='zone:hongyadong'][data-state='acknowledged']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        var acknowledged = page.Locator("li.alert[data-place='zone:hongyadong']");
        await acknowledged.Locator("button.show-history").ClickAsync();
        await page.WaitForSelectorAsync("li.alert[data-place='zone:hongyadong'] ol.history li:has-text('duty-officer')", new PageWaitForSelectorOptions { Timeout = 5_000 });

        // The note is the history's text, markup and all; no element of it was made and its handler never ran.
        var history = acknowledged.Locator("ol.history");
        Assert.Contains(note, await history.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await history.Locator("img, b").CountAsync());
        await Task.Delay(300);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));

        // And were markup to slip in, the page's policy runs no inline script.
        var policy = string.Join(' ', (await _host.Http.GetAsync("/")).Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy.Split(';').Select(d => d.Trim()));
    }
}
