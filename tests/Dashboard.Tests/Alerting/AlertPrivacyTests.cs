using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Api;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Alerting;

/// <summary>
/// A Red alert whose zone empties to 20 people (6 devices at panel factor 0.3, under k = 10) before it clears: the
/// alert list shows viewers no number of that slot (operators see it), nor do the hub's events, the CAP all-clear and
/// the alert's public page.
/// </summary>
public class AlertPrivacyTests
{
    private const long SlotMs = 900_000;
    private const string Zone = "洪崖洞 Hongyadong";

    [Fact]
    public async Task A_zone_fallen_under_k_shows_no_density_to_viewers_the_hub_CAP_or_the_page_and_operators_see_it_exactly()
    {
        using var d = new TestDeployment();
        var start = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (24 * SlotMs));
        var time = new ManualTime(start);
        await using var app = await RunningHost.StartAsync(s => s.AddSingleton<TimeProvider>(time),
            "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false",
            "--Alerts:PollMilliseconds", "20");
        var store = app.Services.GetRequiredService<ICountStore>();
        var service = app.Services.GetRequiredService<AlertService>();
        var keys = app.Services.GetRequiredService<IApiKeys>();
        var viewerKey = await keys.IssueAsync("test-viewer", Security.Roles.Viewer);
        var operatorKey = await keys.IssueAsync("test-operator", Security.Roles.Operator);

        // Red for two slots (21 000 people, capacity 20 000), then 20 people: three quiet slots clear it.
        double[] people = [21_000, 21_000, 20, 20, 20];
        async Task SlotAsync(int i)
        {
            time.Advance(TimeSpan.FromMinutes(i == 0 ? 20 : 15));
            var slotMs = start.ToUnixTimeMilliseconds() + (i * SlotMs);
            await store.WriteAsync(new CountBatch("hongyadong", "test", [slotMs], [new CountRecord(slotMs, "people", 200, people[i])])
            {
                ZoneRows = [new ZoneCountRecord(slotMs, "people", Zone, people[i])],
            });
            var judged = System.Diagnostics.Stopwatch.StartNew();
            while ((service.JudgedThrough("hongyadong") ?? 0) < slotMs && judged.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        }

        for (var i = 0; i < 4; i++) await SlotAsync(i);

        // Open, at its second quiet slot: the latest slot holds 20 people.
        var open = Assert.Single(service.Open);
        Assert.True(open.UnderK);
        async Task<JsonElement> ListAs(string key)
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Address) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/alerts"));
            return doc.RootElement[0].Clone();
        }

        var viewer = await ListAs(viewerKey);
        Assert.Equal(("red", "LOW_DENSITY"), (viewer.GetProperty("level").GetString(), viewer.GetProperty("densityStatus").GetString()));
        foreach (var field in new[] { "density", "capacityUse", "trendPerHour" }) Assert.Equal(JsonValueKind.Null, viewer.GetProperty(field).ValueKind);
        var duty = await ListAs(operatorKey);
        Assert.Equal(Math.Round(open.Density, 3), duty.GetProperty("density").GetDouble());
        Assert.True(open.Density > 0);
        Assert.Equal(0.001, duty.GetProperty("capacityUse").GetDouble(), 4); // 20 of 20 000

        // The alert's public page says no number either.
        var page = await app.Http.GetStringAsync($"/alerts/{open.Id}");
        var density = System.Text.RegularExpressions.Regex.Match(page, "<p id=\"density\">(.*?)</p>").Groups[1].Value;
        Assert.StartsWith("Too few people", density, StringComparison.Ordinal);
        Assert.DoesNotContain("capacity", density, StringComparison.Ordinal);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.Http.GetAsync($"/alerts/{Guid.NewGuid()}")).StatusCode);

        await SlotAsync(4);
        Assert.Empty(service.Open);

        // The hub serves viewers: the all-clear comes without numbers, the raise with them.
        await HubGivesViewersNoNumbersUnderKAsync(app);

        // The CAP all-clear as served.
        await CapCancelHasNoNumbersAsync(app, open.Id);
    }

    // The alert's CAP Cancel as served: its density status, and no density or capacity parameter.
    private static async Task CapCancelHasNoNumbersAsync(RunningHost app, Guid alertId)
    {
        var history = await app.Services.GetRequiredService<IAlertStore>().EventsAsync(alertId);
        var cancel = history.Single(e => e.Kind == "resolved");
        var cap = XDocument.Parse(await app.Http.GetStringAsync(AlertsApi.CapPath(alertId, cancel.Sequence))).Root!;
        Assert.Equal("Cancel", cap.Element(CapMessage.Ns + "msgType")!.Value);
        foreach (var info in cap.Elements(CapMessage.Ns + "info"))
        {
            var names = info.Elements(CapMessage.Ns + "parameter").Select(p => p.Element(CapMessage.Ns + "valueName")!.Value).ToList();
            Assert.Contains("densityStatus", names);
            Assert.DoesNotContain("densityPersonsPerM2", names);
            Assert.DoesNotContain("capacityUsePercent", names);
        }
    }

    private static async Task HubGivesViewersNoNumbersUnderKAsync(RunningHost app)
    {
        await using var hub = new HubConnectionBuilder().WithUrl($"{app.Address}/hubs/live").Build();
        await hub.StartAsync();
        var events = await hub.InvokeAsync<List<AlertEventView>>("Missed", "hongyadong", 0L, null);
        var raised = events.Single(e => e.Kind == "raised");
        Assert.Equal("DENSITY_ESTIMATION", raised.DensityStatus);
        Assert.True(raised.Density > 0);
        Assert.Equal(1.05, raised.CapacityUse); // 21 000 of 20 000
        var resolved = events.Single(e => e.Kind == "resolved");
        Assert.Equal("LOW_DENSITY", resolved.DensityStatus);
        Assert.Null(resolved.Density);
        Assert.Null(resolved.CapacityUse);
        Assert.Null(resolved.TrendPerHour);
    }
}
