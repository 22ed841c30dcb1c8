using System.Net;
using System.Text;
using System.Text.Json;

namespace CrowdWatch.Dashboard.Tests.Api;

/// <summary>
/// Every endpoint against every role (WebApplicationFactory, the real Program in memory): who may read, act and
/// write, and that malformed requests get problem details naming what is wrong, never a 500.
/// </summary>
public sealed class ApiRolesTests : IAsyncLifetime
{
    private const string Zone = "洪崖洞 Hongyadong";
    private static readonly string Z = Uri.EscapeDataString(Zone);
    private static readonly string Slot = Uri.EscapeDataString("2026-10-01T20:00:00+08:00");
    private static readonly string Later = Uri.EscapeDataString("2026-10-02T20:00:00+08:00");
    private static readonly string Id = Guid.NewGuid().ToString();
    private ApiFactory _api = null!;

    /// <summary>What an endpoint is for: reading (viewers and up), acting on alerts (operators, admins), writing data (ingest keys, admins).</summary>
    public enum Use { Read, Operate, Ingest, Administer }

    /// <summary>Every endpoint of the API, with a request that is well-formed for it.</summary>
    public static TheoryData<string, string, Use> Endpoints => new()
    {
        { "GET", "/api/areas", Use.Read },
        { "GET", "/api/areas/hongyadong", Use.Read },
        { "GET", "/api/areas/hongyadong/locate?lon=106.579&lat=29.563", Use.Read },
        { "GET", "/api/areas/hongyadong/layers/zones", Use.Read },
        { "GET", "/api/areas/hongyadong/layers/cells", Use.Read },
        { "GET", $"/api/areas/hongyadong/history/zones/{Z}?from={Slot}&to={Later}", Use.Read },
        { "GET", $"/api/areas/hongyadong/counts/zones/{Z}?from={Slot}&to={Later}", Use.Read },
        { "GET", $"/api/areas/hongyadong/counts/cells?slot={Slot}", Use.Read },
        { "GET", $"/api/areas/hongyadong/counts/cells/200?from={Slot}&to={Later}", Use.Read },
        { "GET", $"/api/areas/hongyadong/heatmap?slot={Slot}", Use.Read },
        { "GET", $"/api/areas/hongyadong/forecasts/zones/{Z}", Use.Read },
        { "GET", "/api/areas/hongyadong/forecasts/cells/200", Use.Read },
        { "GET", $"/api/areas/hongyadong/forecasts/heatmap?slot={Slot}", Use.Read },
        { "GET", "/api/areas/hongyadong/timeline", Use.Read },
        { "GET", "/api/areas/hongyadong/zones", Use.Read },
        { "GET", "/api/areas/hongyadong/calendar?from=2026-10-01&to=2026-10-07", Use.Read },
        { "GET", "/api/areas/hongyadong/risk-points", Use.Read },
        { "GET", "/api/map-config", Use.Read },
        { "GET", "/api/alerts", Use.Read },
        { "GET", $"/api/alerts/{Id}", Use.Read },
        { "GET", $"/api/alerts/{Id}/cap/1", Use.Read },
        { "GET", "/api/alerts/feed.atom", Use.Read },
        { "POST", "/hubs/live/negotiate?negotiateVersion=1", Use.Read },
        { "POST", $"/api/alerts/{Id}/acknowledge", Use.Operate },
        { "POST", $"/api/alerts/{Id}/resolve", Use.Operate },
        { "POST", "/api/areas/hongyadong/scenarios", Use.Operate },
        { "POST", "/api/areas/hongyadong/ingest/counts", Use.Ingest },
        { "POST", "/api/areas/hongyadong/ingest/pings", Use.Ingest },
        { "POST", "/api/areas/hongyadong/ingest/searches", Use.Ingest },
        { "PUT", $"/api/areas/hongyadong/zones/{Z}", Use.Administer },
        { "GET", "/api/alerts/recipients", Use.Administer },
        { "PUT", "/api/alerts/recipients", Use.Administer },
    };

    public async Task InitializeAsync() => _api = await new ApiFactory().StartAsync();

    public Task DisposeAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }

    // The zone with this many people in the last two complete slots, as the store has it.
    private async Task CrowdAsync(double people)
    {
        const long slot = 900_000;
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slot * slot) - (2 * slot);
        await _api.Services.GetRequiredService<Geo.Storage.ICountStore>().WriteAsync(new Geo.Storage.CountBatch("hongyadong", "test", [s0, s0 + slot], [])
        {
            ZoneRows = [new Geo.Storage.ZoneCountRecord(s0, "people", Zone, people), new Geo.Storage.ZoneCountRecord(s0 + slot, "people", Zone, people)],
        });
    }

    private static string BodyFor(string path) => path switch
    {
        _ when path.EndsWith("/ingest/counts", StringComparison.Ordinal) => """{"slotStart":"2026-10-01T20:00:00+08:00","cell":200,"channel":"people","value":40}""",
        _ when path.EndsWith("/ingest/pings", StringComparison.Ordinal) => """{"timestamp":1759320000000,"device_id":"d1","lat":29.563,"lon":106.579,"accuracy_m":10}""",
        _ when path.EndsWith("/ingest/searches", StringComparison.Ordinal) => "timestamp,query,poi_id,count\n1759320000000,洪崖洞,hyd,3\n",
        _ when path.EndsWith("/scenarios", StringComparison.Ordinal) => """{"name":"quiet","from":"2026-10-01T18:00","to":"2026-10-01T19:00","recommend":false}""",
        _ when path.EndsWith("/recipients", StringComparison.Ordinal) => """[{"channel":"email","address":"duty@example.org","from":"orange"}]""",
        _ when path.Contains("/zones/", StringComparison.Ordinal) => """{"capacity":20000}""",
        _ => """{"note":"seen"}""",
    };

    private async Task<HttpResponseMessage> Send(string? role, string method, string path)
    {
        using var client = _api.ClientAs(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new StringContent(BodyFor(path), Encoding.UTF8, path.Contains("/searches", StringComparison.Ordinal) ? "text/csv" : "application/json");
        return await client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_endpoint_admits_exactly_the_roles_it_is_for(string method, string path, Use use)
    {
        var allowed = use switch
        {
            Use.Read => new[] { Security.Roles.Viewer, Security.Roles.Operator, Security.Roles.Admin },
            Use.Operate => [Security.Roles.Operator, Security.Roles.Admin],
            Use.Administer => [Security.Roles.Admin],
            _ => [Security.Roles.Ingest, Security.Roles.Admin],
        };
        // No key: 401 (anonymous reading is off here).
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(null, method, path)).StatusCode);
        foreach (var role in Security.Roles.All)
        {
            var status = (await Send(role, method, path)).StatusCode;
            if (allowed.Contains(role))
            {
                Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} {method} {path}: {status}");
                Assert.True((int)status < 500, $"{role} {method} {path}: {status}");
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{role} {method} {path}: {status}, expected 403");
            }
        }
    }

    [Theory]
    [InlineData("/api/areas/hongyadong/locate?lon=east&lat=29.5", "lon")]
    [InlineData("/api/areas/hongyadong/locate?lon=300&lat=29.5", "lon")]
    [InlineData("/api/areas/hongyadong/counts/cells?slot=yesterday", "slot")]
    [InlineData("/api/areas/hongyadong/heatmap?slot=20:00", "slot")]
    [InlineData("/api/areas/hongyadong/heatmap", "slot")]
    [InlineData("/api/areas/hongyadong/forecasts/heatmap?slot=soon", "slot")]
    [InlineData("/api/areas/hongyadong/counts/zones/%E6%B4%AA%E5%B4%96%E6%B4%9E%20Hongyadong?from=2026-10-02T00:00%2B08:00&to=2026-10-01T00:00%2B08:00", "from")]
    [InlineData("/api/areas/hongyadong/calendar?from=1.10.2026&to=2026-10-07", "from")]
    [InlineData("/api/areas/hongyadong/forecasts/cells/abc", "cell")]
    [InlineData("/api/areas/hongyadong/counts/cells/99999?from=2026-10-01T00:00%2B08:00&to=2026-10-02T00:00%2B08:00", "cell")]
    public async Task Malformed_queries_get_400_problem_details_that_name_the_field(string path, string field)
    {
        var response = await Send(Security.Roles.Viewer, "GET", path);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/areas/hongyadong/ingest/counts", "application/x-ndjson", "{\"slotStart\":\"2026-10-01T20:00:00+08:00\",\"cell\":\"two\",\"channel\":\"people\",\"value\":4}", "cell")]
    [InlineData("/api/areas/hongyadong/ingest/pings", "application/x-ndjson", "{\"timestamp\":\"noon\",\"device_id\":\"d1\",\"lat\":29.563,\"lon\":106.579}", "timestamp")]
    [InlineData("/api/areas/hongyadong/ingest/pings", "text/csv", "timestamp,device_id,lat,lon,accuracy_m\n1759320000000,d1,north,106.579,10\n", "lat")]
    [InlineData("/api/areas/hongyadong/ingest/searches", "text/csv", "timestamp,query,poi_id,count\n1759320000000,洪崖洞,hyd,many\n", "count")]
    [InlineData("/api/alerts/00000000-0000-0000-0000-000000000001/acknowledge", "application/json", "{\"note\": 5", "")]
    [InlineData("/api/areas/hongyadong/scenarios", "application/json", "{\"from\":\"soon\",\"to\":\"2026-10-01T19:00\",\"events\":[{\"zone\":\"x\"}]}", "events[0].zone")]
    [InlineData("/api/areas/hongyadong/scenarios", "application/json", "{\"from\":", "")]
    public async Task Malformed_bodies_get_400_problem_details_naming_the_line_and_field(string path, string type, string body, string field)
    {
        var role = path.Contains("/ingest/", StringComparison.Ordinal) ? Security.Roles.Ingest : Security.Roles.Operator;
        using var client = _api.ClientAs(role);
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, type));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
        if (path.Contains("/ingest/", StringComparison.Ordinal))
        {
            using var problem = JsonDocument.Parse(text);
            var first = problem.RootElement.GetProperty("problems")[0];
            Assert.True(first.GetProperty("line").GetInt32() >= 1);
        }
    }

    [Fact]
    public async Task A_scenario_is_read_as_planners_write_it_and_without_history_the_answer_says_why()
    {
        using var client = _api.ClientAs(Security.Roles.Operator);
        var body = """
            {
              // the planner's note, as in a scenario file
              "name": "quiet", "from": "2026-10-01T18:00", "to": "2026-10-01T19:00", "recommend": false,
            }
            """;
        var response = await client.PostAsync("/api/areas/hongyadong/scenarios", new StringContent(body, Encoding.UTF8, "application/json"));
        // This test deployment has no history: the usual crowd cannot be forecast, and the answer says so.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no history", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var bad = await client.PostAsync("/api/areas/hongyadong/scenarios", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Viewers_see_low_counts_as_LOW_DENSITY_and_operators_see_them_exactly()
    {
        using (var ingest = _api.ClientAs(Security.Roles.Ingest))
        {
            var body = """
                {"slotStart":"2026-10-01T20:00:00+08:00","cell":200,"channel":"people","value":4}
                {"slotStart":"2026-10-01T20:00:00+08:00","cell":201,"channel":"people","value":40}
                """;
            Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsync("/api/areas/hongyadong/ingest/counts", new StringContent(body, Encoding.UTF8, "application/x-ndjson"))).StatusCode);
        }

        async Task<Dictionary<int, JsonElement>> CellsAs(string role)
        {
            using var client = _api.ClientAs(role);
            using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/areas/hongyadong/counts/cells?slot={Slot}"));
            return doc.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetInt32(), c => c.Clone());
        }

        var viewer = await CellsAs(Security.Roles.Viewer);
        Assert.Equal("LOW_DENSITY", viewer[200].GetProperty("flag").GetString());
        Assert.Equal(JsonValueKind.Null, viewer[200].GetProperty("people").ValueKind);
        Assert.Equal(40, viewer[201].GetProperty("people").GetDouble());
        // A cell's own series the same way.
        async Task<JsonElement> SeriesAs(string role)
        {
            using var client = _api.ClientAs(role);
            using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/areas/hongyadong/counts/cells/200?from={Slot}&to={Later}"));
            return doc.RootElement.Clone();
        }

        Assert.Equal("LOW_DENSITY", (await SeriesAs(Security.Roles.Viewer))[0].GetProperty("flag").GetString());
        Assert.Equal(4, (await SeriesAs(Security.Roles.Operator))[0].GetProperty("people").GetDouble());
        var duty = await CellsAs(Security.Roles.Operator);
        Assert.Equal(4, duty[200].GetProperty("people").GetDouble());
        Assert.Equal(4, (await CellsAs(Security.Roles.Admin))[200].GetProperty("people").GetDouble());
    }

    [Fact]
    public async Task The_k_floor_counts_devices_before_scaling_so_a_few_devices_never_show_as_enough_people()
    {
        // Panel factor 0.3, k 10: 20 people are 6 devices (under k), 40 people are 12 (over).
        const string slot = "2026-10-02T20:00:00+08:00";
        using (var ingest = _api.ClientAs(Security.Roles.Ingest))
        {
            var body = $$"""
                {"slotStart":"{{slot}}","cell":210,"channel":"people","value":20}
                {"slotStart":"{{slot}}","cell":211,"channel":"people","value":40}
                """;
            Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsync("/api/areas/hongyadong/ingest/counts", new StringContent(body, Encoding.UTF8, "application/x-ndjson"))).StatusCode);
        }

        var at = Uri.EscapeDataString(slot);
        using var viewer = _api.ClientAs(Security.Roles.Viewer);
        using (var cells = JsonDocument.Parse(await viewer.GetStringAsync($"/api/areas/hongyadong/counts/cells?slot={at}")))
        {
            var byCell = cells.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetInt32(), c => c.Clone());
            Assert.Equal("LOW_DENSITY", byCell[210].GetProperty("flag").GetString());
            Assert.Equal(40, byCell[211].GetProperty("people").GetDouble());
        }

        using (var map = JsonDocument.Parse(await viewer.GetStringAsync($"/api/areas/hongyadong/heatmap?slot={at}")))
        {
            var props = map.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
                .ToDictionary(p => p.GetProperty("cell").GetInt32(), p => p.Clone());
            Assert.Equal("LOW_DENSITY", props[210].GetProperty("dataType").GetString());
            Assert.False(props[210].TryGetProperty("people", out _));
        }

        using var duty = _api.ClientAs(Security.Roles.Operator);
        using var exact = JsonDocument.Parse(await duty.GetStringAsync($"/api/areas/hongyadong/counts/cells?slot={at}"));
        Assert.Contains(exact.RootElement.EnumerateArray(), c => c.GetProperty("cell").GetInt32() == 210 && c.GetProperty("people").GetDouble() == 20);
    }

    [Fact]
    public async Task Anonymous_callers_read_as_viewers_where_the_deployment_allows_it_and_never_act()
    {
        using var open = await new ApiFactory(anonymousViewers: true).StartAsync();
        using var anonymous = open.ClientAs(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/areas")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/alerts/{Id}/acknowledge", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/areas/hongyadong/ingest/counts", new StringContent("", Encoding.UTF8, "application/x-ndjson"))).StatusCode);
        // A key that is not known is refused even where anonymous reading is allowed.
        using var forged = open.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/areas")).StatusCode);
        // Health probes answer anyone.
        using var closed = _api.ClientAs(null);
        Assert.Equal(HttpStatusCode.OK, (await closed.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task An_admins_change_of_a_zones_capacity_holds_at_once_for_alerting_and_is_written_to_the_zones_file()
    {
        using var admin = _api.ClientAs(Security.Roles.Admin);
        async Task<HttpResponseMessage> Put(string body) =>
            await admin.PutAsync($"/api/areas/hongyadong/zones/{Z}", new StringContent(body, Encoding.UTF8, "application/json"));

        // Refused, with the field named: a capacity of none, thresholds that do not rise.
        var zero = await Put("""{"capacity":0}""");
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("capacity", await zero.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var falling = await Put("""{"thresholds":{"orange":3.0,"red":2.0}}""");
        Assert.Equal(HttpStatusCode.BadRequest, falling.StatusCode);
        Assert.Contains("red", await falling.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync("/api/areas/hongyadong/zones/nowhere", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);

        // 15 000 people are 75% of the zone's 20 000: Blue by capacity. Halving the capacity makes the same crowd Red.
        var ok = await Put("""{"capacity":10000,"thresholds":{"red":5.0}}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var view = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()))
        {
            Assert.Equal(10000, view.RootElement.GetProperty("capacity").GetInt32());
            Assert.Equal(5.0, view.RootElement.GetProperty("levelDensities")[3].GetDouble());
        }

        Assert.Contains("\"capacity\": 10000", await File.ReadAllTextAsync(_api.Deployment.File_("zones.geojson")), StringComparison.Ordinal);
        await CrowdAsync(15000);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonElement[] open = [];
        while (open.Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
            open = [.. JsonDocument.Parse(await admin.GetStringAsync("/api/alerts")).RootElement.EnumerateArray()];
        }

        Assert.Equal("red", Assert.Single(open).GetProperty("level").GetString());
        var audit = await _api.Services.GetRequiredService<CrowdWatch.Storage.Access.IAuditLog>().ReadAsync(0, long.MaxValue, "test-admin");
        Assert.Contains(audit, e => e.Action == "zone.edit" && e.Detail!.Contains("capacity 20000 -> 10000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_sets_who_hears_of_alerts_and_the_next_alert_goes_to_them_and_the_list_is_kept_in_the_recipients_file()
    {
        await using var receiver = new Alerting.Receiver();
        await receiver.StartAsync();
        using var admin = _api.ClientAs(Security.Roles.Admin);
        var bad = await admin.PutAsync("/api/alerts/recipients", new StringContent("""[{"channel":"webhook","address":"not a url"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("recipients:0:Address", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var body = $$"""[{"channel":"webhook","address":"{{receiver.Url}}","from":"blue","language":"en"}]""";
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/alerts/recipients", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Contains(receiver.Url, await File.ReadAllTextAsync(_api.Deployment.File_("recipients.json")), StringComparison.Ordinal);
        using (var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/alerts/recipients")))
            Assert.Equal(receiver.Url, listed.RootElement[0].GetProperty("address").GetString());

        // A crowd over the zone's capacity: the webhook set a moment ago hears of it.
        await CrowdAsync(21000);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.AcceptedKeys().Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        Assert.Contains("\"level\":\"red\"", Assert.Single(receiver.Requests, r => r.Accepted).Body, StringComparison.Ordinal);
        var audit = await _api.Services.GetRequiredService<CrowdWatch.Storage.Access.IAuditLog>().ReadAsync(0, long.MaxValue, "test-admin");
        Assert.Contains(audit, e => e.Action == "recipients.edit" && e.Detail!.Contains(receiver.Url, StringComparison.Ordinal));
    }
}
