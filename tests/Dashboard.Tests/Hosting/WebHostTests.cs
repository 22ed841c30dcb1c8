using System.Net;
using System.Text.Json;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Tests.Cli;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrowdWatch.Dashboard.Tests.Hosting;

public class WebHostTests
{
    [Fact]
    public async Task Host_serves_health_alive_and_the_areas_on_loopback()
    {
        using var d = new TestDeployment();
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.DeploymentPath]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        using var areas = JsonDocument.Parse(await http.GetStringAsync("/api/areas"));
        var area = Assert.Single(areas.RootElement.EnumerateArray());
        Assert.Equal("hongyadong", area.GetProperty("name").GetString());
        Assert.Equal(441, area.GetProperty("cells").GetInt32());
        using var located = JsonDocument.Parse(await http.GetStringAsync("/api/areas/hongyadong/locate?lon=106.5790&lat=29.5630"));
        Assert.Equal(652963.71, located.RootElement.GetProperty("x").GetDouble(), 2);
        // The OpenAPI document lists the API, and its browsable reference is served from the host itself.
        using (var openApi = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")))
        {
            var paths = openApi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Contains("/api/areas/{name}", paths);
            Assert.Contains("/api/alerts/{id}/acknowledge", paths);
            // CAMARA's endpoints under the definitions' server paths, with the definitions' operation ids.
            Assert.Equal("retrievePopulationDensity", openApi.RootElement.GetProperty("paths").GetProperty("/population-density-data/vwip/retrieve").GetProperty("post").GetProperty("operationId").GetString());
            Assert.Equal("count", openApi.RootElement.GetProperty("paths").GetProperty("/regionDeviceCount/vwip/count").GetProperty("post").GetProperty("operationId").GetString());
            // Every operation is named and summarised, so the reference (not a hand-kept table) tells what each does.
            var operations = openApi.RootElement.GetProperty("paths").EnumerateObject()
                .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Verb: o.Name, Operation: o.Value))).ToList();
            Assert.True(operations.Count >= 30, $"{operations.Count} operations");
            foreach (var (path, verb, operation) in operations)
            {
                Assert.True(operation.TryGetProperty("operationId", out var id) && id.GetString() is { Length: > 0 }, $"{verb} {path} has no operationId");
                Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{verb} {path} has no summary");
            }
            Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        }

        var reference = await http.GetAsync("/api/reference/index.html");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("swagger", await reference.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var missing = await http.GetAsync("/api/areas/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        await app.StopAsync();
    }

    [Fact]
    public async Task Callers_over_their_rate_get_429_and_bodies_over_the_limit_413_while_health_stays_open()
    {
        using var d = new TestDeployment();
        await using var app = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Api:RequestsPerMinute", "3", "--Api:MaxRequestBytes", "2048");
        var http = app.Http;
        var key = await app.Services.GetRequiredService<CrowdWatch.Storage.Access.IApiKeys>().IssueAsync("desk", "operator");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{Guid.NewGuid()}/acknowledge")
        {
            Content = new StringContent($$"""{"note":"{{new string('x', 5000)}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var big = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) codes.Add((await http.GetAsync("/api/areas")).StatusCode);
        // The key's request had a window of its own: the anonymous caller gets its three, then 429.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Host_serves_the_sample_city_layers_and_calendar_from_its_files()
    {
        await using var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", Deployment.SampleDeployment.Locate()]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var basemap = await http.GetAsync("/api/areas/chongqing/layers/basemap");
        Assert.Equal("application/geo+json", basemap.Content.Headers.ContentType?.MediaType);
        using (var doc = JsonDocument.Parse(await basemap.Content.ReadAsStringAsync()))
        {
            var layers = doc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("layer").GetString()).ToHashSet();
            Assert.Equal(["bridge", "label", "road", "water"], layers.Order());
        }

        using (var zones = JsonDocument.Parse(await http.GetStringAsync("/api/areas/chongqing/layers/zones")))
            Assert.Equal(12, zones.RootElement.GetProperty("features").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/areas/chongqing/layers/tiles")).StatusCode);

        using (var days = JsonDocument.Parse(await http.GetStringAsync("/api/areas/chongqing/calendar?from=2025-09-28&to=2025-10-01")))
        {
            var list = days.RootElement.EnumerateArray().ToList();
            Assert.Equal(["Workday", "Workday", "Workday", "Holiday"], list.Select(d => d.GetProperty("kind").GetString()));
            Assert.Contains(list[3].GetProperty("events").EnumerateArray(), e => e.GetProperty("zone").GetString() == "hongyadong" && e.GetProperty("attendance").GetInt32() > 10_000);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/areas/chongqing/calendar?from=2025-10-01&to=2024-10-01")).StatusCode);

        // The shipped history: Hongyadong on National Day evening, true and estimated from the feed's devices.
        using (var history = JsonDocument.Parse(await http.GetStringAsync(
            "/api/areas/chongqing/history/zones/hongyadong?from=2025-10-01T18:00%2B08:00&to=2025-10-01T23:00%2B08:00")))
        {
            var points = history.RootElement.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(20, points.Count);
            Assert.Equal("2025-10-01T18:00:00+08:00", points[0].GetProperty("slotStart").GetString());
            var peak = points.MaxBy(p => p.GetProperty("trueDensity").GetDouble());
            Assert.True(peak.GetProperty("trueDensity").GetDouble() > 4.0);
            // With a panel of one in ten, the estimate is within a fifth of the truth at the peak.
            Assert.Equal(peak.GetProperty("truePeople").GetDouble(), peak.GetProperty("estimatedPeople").GetDouble(), peak.GetProperty("truePeople").GetDouble() * 0.2);
        }

        // The cableway after midnight holds a handful of people: a viewer gets no number of either kind (the true count
        // would tell the estimate and the other way round), only the flag.
        using (var night = JsonDocument.Parse(await http.GetStringAsync(
            "/api/areas/chongqing/history/zones/cableway?from=2025-09-01T00:00%2B08:00&to=2025-09-01T01:00%2B08:00")))
        {
            var points = night.RootElement.GetProperty("points").EnumerateArray().ToList();
            Assert.NotEmpty(points);
            Assert.All(points, p =>
            {
                Assert.Equal("LOW_DENSITY", p.GetProperty("flag").GetString());
                foreach (var field in new[] { "truePeople", "estimatedPeople", "trueDensity", "estimatedDensity" }) Assert.Equal(JsonValueKind.Null, p.GetProperty(field).ValueKind);
            });
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/areas/chongqing/history/zones/nowhere?from=2025-10-01T18:00%2B08:00&to=2025-10-01T19:00%2B08:00")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/areas/chongqing/history/zones/hongyadong?from=yesterday&to=2025-10-01T19:00%2B08:00")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Host_refuses_to_start_on_a_bad_deployment_with_the_reason()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("bad.json"), """{ "areas": [ { "name": "x", "bounds": [106.5, 29.5, 106.6, 29.6], "epsg": 3857 } ] }""");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--CrowdWatch:Deployment", d.File_("bad.json")]));
        Assert.Contains("Web Mercator", e.Message, StringComparison.Ordinal);
    }
}

