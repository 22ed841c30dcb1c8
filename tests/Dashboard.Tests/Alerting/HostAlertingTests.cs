using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public class HostAlertingTests
{
    [Fact]
    public async Task Counts_reaching_Red_in_the_store_raise_an_alert_that_a_webhook_hears_and_the_API_CAP_and_feed_show()
    {
        using var d = new TestDeployment();
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        await using var app = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:PollMilliseconds", "50", "--Alerts:WebhookSecret", "host-secret", "--Alerts:Cap:Status", "Exercise",
            "--Alerts:Recipients:0:Channel", "webhook", "--Alerts:Recipients:0:Address", receiver.Url);
        var http = app.Http;

        // Four slots up to now; the third is Red (21 000 people, capacity 20 000) and complete, as the fourth has data.
        const long slot = 900_000;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var s0 = (now / slot * slot) - (3 * slot);
        double[] people = [5000, 9000, 21000, 21500];
        var store = app.Services.GetRequiredService<ICountStore>();
        // Two neighbouring cells of the Red slot are dense enough to be a risk point; a third, apart, is quiet.
        await store.WriteAsync(new CountBatch("hongyadong", "test", [s0, s0 + slot, s0 + (2 * slot), s0 + (3 * slot)],
            [new CountRecord(s0 + (2 * slot), "people", 200, 9000), new CountRecord(s0 + (2 * slot), "people", 201, 8000), new CountRecord(s0 + (2 * slot), "people", 250, 50)])
        {
            ZoneRows = [.. people.Select((p, i) => new ZoneCountRecord(s0 + (i * slot), "people", "洪崖洞 Hongyadong", p))],
        });

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.AcceptedKeys().Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        FirstHookIsTheSignedRedRaise(receiver);

        using var open = JsonDocument.Parse(await http.GetStringAsync("/api/alerts"));
        var alert = Assert.Single(open.RootElement.EnumerateArray());
        Assert.Equal(("red", "Observed"), (alert.GetProperty("level").GetString(), alert.GetProperty("trigger").GetString()));
        Assert.Equal(Alerts.Playbooks.Playbook.General[Alerts.Risk.RiskLevel.Red].Zh, alert.GetProperty("instructionZh").GetString());
        await CapAndFeedShowAsync(http, alert.GetProperty("cap").GetString()!);
        using var history = JsonDocument.Parse(await http.GetStringAsync($"/api/alerts/{alert.GetProperty("id").GetString()}"));
        Assert.Equal("raised", Assert.Single(history.RootElement.EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/alerts/{Guid.NewGuid()}")).StatusCode);

        await RiskPointsAreTheDenseCellsAsync(http);

        // Acting on it takes an operator's key: none is 401, a viewer's or an ingest key 403.
        var keys = app.Services.GetRequiredService<CrowdWatch.Storage.Access.IApiKeys>();
        var id = alert.GetProperty("id").GetString();
        async Task<HttpResponseMessage> Act(string verb, string? key, string body = """{"note":"stewards sent to the east stairs"}""")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{id}/{verb}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return await http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Act("acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Act("acknowledge", "not-a-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Act("acknowledge", await keys.IssueAsync("wall-screen", "viewer"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Act("acknowledge", await keys.IssueAsync("gate-counter", "ingest"))).StatusCode);
        var operatorKey = await keys.IssueAsync("li.wei", "operator");
        var tooLong = await Act("acknowledge", operatorKey, $$"""{"note":"{{new string('x', 1001)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("note", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ack = await Act("acknowledge", operatorKey);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        using (var acked = JsonDocument.Parse(await ack.Content.ReadAsStringAsync()))
            Assert.Equal(("acknowledged", "li.wei", "stewards sent to the east stairs"), (acked.RootElement.GetProperty("kind").GetString(), acked.RootElement.GetProperty("actor").GetString(), acked.RootElement.GetProperty("note").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await Act("acknowledge", operatorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Act("resolve", operatorKey, """{"note":"barriers up"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Act("resolve", operatorKey)).StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await http.GetStringAsync("/api/alerts")).RootElement.GetArrayLength());
        using (var after = JsonDocument.Parse(await http.GetStringAsync($"/api/alerts/{id}")))
            Assert.Equal(["raised", "acknowledged", "resolved"], after.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        // The webhook heard the acknowledgement and the resolution too.
        waited.Restart();
        while (receiver.AcceptedKeys().Count < 3 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        Assert.Equal(["raised", "acknowledged", "resolved"], receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event").GetString()));

        await MetersAndAuditSayWhatHappenedAsync(app);
        Assert.Empty(app.Services.GetRequiredService<AlertService>().Open);
    }


    // The webhook's first request: the raise of a Red alert, signed with the host's secret.
    private static void FirstHookIsTheSignedRedRaise(Receiver receiver)
    {
        var hook = receiver.Requests.First();
        var seconds = long.Parse(hook.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify("host-secret", seconds, hook.Body, hook.Headers[WebhookSignature.Header]));
        using (var body = JsonDocument.Parse(hook.Body))
        {
            Assert.Equal("raised", body.RootElement.GetProperty("event").GetString());
            Assert.Equal("red", body.RootElement.GetProperty("alert").GetProperty("level").GetString());
        }
    }

    // The alert's CAP message as served, and the Atom feed entry linking it.
    private static async Task CapAndFeedShowAsync(HttpClient http, string capPath)
    {
        var capResponse = await http.GetAsync(capPath);
        Assert.Equal("application/cap+xml", capResponse.Content.Headers.ContentType?.MediaType);
        var cap = XDocument.Parse(await capResponse.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(("Alert", "Exercise"), (cap.Element(Alerts.Cap.CapMessage.Ns + "msgType")!.Value, cap.Element(Alerts.Cap.CapMessage.Ns + "status")!.Value));

        var feed = XDocument.Parse(await http.GetStringAsync("/api/alerts/feed.atom")).Root!;
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entry = Assert.Single(feed.Elements(atom + "entry"));
        Assert.EndsWith(capPath, entry.Element(atom + "link")!.Attribute("href")!.Value, StringComparison.Ordinal);
    }

    // The slot's risk point: the two dense neighbouring cells, ranked first, with a WGS84 outline.
    private static async Task RiskPointsAreTheDenseCellsAsync(HttpClient http)
    {
        using (var risk = JsonDocument.Parse(await http.GetStringAsync("/api/areas/hongyadong/risk-points")))
        {
            var point = Assert.Single(risk.RootElement.GetProperty("points").EnumerateArray());
            Assert.Equal([200, 201], point.GetProperty("cells").EnumerateArray().Select(c => c.GetInt32()));
            Assert.Equal(1, point.GetProperty("rank").GetInt32());
            Assert.Equal("Polygon", point.GetProperty("outline").GetProperty("type").GetString());
            var lon = point.GetProperty("outline").GetProperty("coordinates")[0][0][0].GetDouble();
            Assert.InRange(lon, 106.5, 106.7);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/areas/nowhere/risk-points")).StatusCode);
    }

    // The meters count what happened (Prometheus text), and the audit log has every step with who did it.
    private static async Task MetersAndAuditSayWhatHappenedAsync(RunningHost app)
    {
        var http = app.Http;
        // The meters count what happened, scraped in Prometheus text.
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("crowdwatch_alerts_events", metrics, StringComparison.Ordinal);
        Assert.Contains("kind=\"raised\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", metrics, StringComparison.Ordinal);

        // The audit log has every step, each written before it was sent, with who did it.
        var audit = await app.Services.GetRequiredService<CrowdWatch.Storage.Access.IAuditLog>().ReadAsync(0, long.MaxValue);
        Assert.Contains(audit, e => e.Action == "alert.raised" && e.Actor == "system");
        Assert.Contains(audit, e => e.Action == "alert.acknowledged" && e.Actor == "li.wei");
        Assert.Contains(audit, e => e.Action == "alert.resolved" && e.Actor == "li.wei");
    }

    [Fact]
    public async Task Searches_far_above_their_usual_in_the_store_raise_a_forecast_warning_before_the_crowd_comes()
    {
        using var d = new TestDeployment();
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        await using var app = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:PollMilliseconds", "50",
            "--Alerts:Recipients:0:Channel", "webhook", "--Alerts:Recipients:0:Address", receiver.Url);

        // Four weeks of a zone whose evening crowd (peaking at 20:00 of its day) follows the day's appeal, and whose map
        // searches (peaking at 14:00) follow the same appeal; today's appeal is five times the usual. The slot judged
        // is 15:45 of today: searches are high, the crowd has not come yet.
        const long slot = 900_000;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slot * slot;
        const int days = 28;
        var n = days * 96;
        var first = now - ((n - 1) * slot);
        var random = new Random(9);
        var rows = new List<ZoneCountRecord>();
        var appeal = 1.0;
        for (var i = 0; i < n; i++)
        {
            // Slot i of the synthetic day: the last slot written (i = n - 1) is 16:00, the one judged 15:45.
            var k = (i + 1 + 64) % 96;
            if (k == 0) appeal = i >= n - 96 ? 5 : 0.8 + (0.4 * random.NextDouble());
            var hour = k / 4.0;
            rows.Add(new ZoneCountRecord(first + (i * slot), "people", "洪崖洞 Hongyadong", 200 + (appeal * 8000 * Math.Exp(-Math.Pow((hour - 20) / 2, 2)))));
            rows.Add(new ZoneCountRecord(first + (i * slot), "search", "洪崖洞 Hongyadong", appeal * 100 * Math.Exp(-Math.Pow((hour - 14) / 3, 2))));
        }

        await app.Services.GetRequiredService<ICountStore>().WriteAsync(new CountBatch("hongyadong", "test", [.. Enumerable.Range(0, n).Select(i => first + (i * slot))], []) { ZoneRows = rows });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.AcceptedKeys().Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        using var body = JsonDocument.Parse(Assert.Single(receiver.Requests).Body);
        var alert = body.RootElement.GetProperty("alert");
        Assert.Equal("Forecast", alert.GetProperty("trigger").GetString());
        Assert.Contains(alert.GetProperty("level").GetString(), (string[])["orange", "red"]);
        Assert.Contains("map searches at", alert.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(alert.GetProperty("density").GetDouble() < 0.5, "the crowd is not there yet");
    }

    [Fact]
    public async Task Alerting_settings_that_make_no_sense_stop_the_host_with_the_setting_named()
    {
        using var d = new TestDeployment();
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Alerts:Recipients:0:Channel", "pager", "--Alerts:Recipients:0:Address", "x"]);
        var e = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Alerts:Recipients:0:Channel", e.Message, StringComparison.Ordinal);
    }
}
