using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrowdWatch.Dashboard.Tests.Camara;

/// <summary>Every error the Population Density Data definition names, with its status, code and the correlator echoed.</summary>
public sealed class DensityErrorTests : IAsyncLifetime
{
    private const string Retrieve = "/population-density-data/vwip/retrieve";
    private readonly CamaraFactory _factory = new(("Camara:MaxSyncCellHours", "500"));

    public Task InitializeAsync() => _factory.StartAsync();

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // A valid request (a 300 m square by the centre, the hour before last) changed by the case.
    private static JsonObject Valid()
    {
        var hour = DateTimeOffset.UtcNow.AddHours(-2);
        return new JsonObject
        {
            ["area"] = new JsonObject
            {
                ["areaType"] = "POLYGON",
                ["boundary"] = new JsonArray(Point(29.5620, 106.5780), Point(29.5620, 106.5800), Point(29.5640, 106.5800), Point(29.5640, 106.5780)),
            },
            ["startTime"] = At(hour),
            ["endTime"] = At(hour.AddMinutes(30)),
        };
    }

    private static JsonObject Point(double lat, double lon) => new() { ["latitude"] = lat, ["longitude"] = lon };

    public static TheoryData<string, int, string> Cases() => new()
    {
        { "unknown-property", 400, "INVALID_ARGUMENT" },
        { "unknown-nested-property", 400, "INVALID_ARGUMENT" },
        { "not-json", 400, "INVALID_ARGUMENT" },
        { "missing-endTime", 400, "INVALID_ARGUMENT" },
        { "time-without-zone", 400, "INVALID_ARGUMENT" },
        { "two-points", 400, "INVALID_ARGUMENT" },
        { "sixteen-points", 400, "INVALID_ARGUMENT" },
        { "latitude-91", 400, "INVALID_ARGUMENT" },
        { "precision-13", 400, "INVALID_ARGUMENT" },
        { "precision-with-geohashlist", 400, "INVALID_ARGUMENT" },
        { "bad-geohash", 400, "INVALID_ARGUMENT" },
        { "unknown-area-type", 400, "INVALID_ARGUMENT" },
        { "bad-correlator", 400, "INVALID_ARGUMENT" },
        { "http-sink", 400, "INVALID_SINK" },
        { "private-key-jwt", 400, "INVALID_CREDENTIAL" },
        { "token-not-bearer", 400, "INVALID_TOKEN" },
        { "bow-tie", 400, "POPULATION_DENSITY_DATA.INVALID_AREA" },
        { "beyond-the-forecast", 400, "POPULATION_DENSITY_DATA.MAX_STARTTIME_EXCEEDED" },
        { "too-far-back", 400, "POPULATION_DENSITY_DATA.MIN_STARTTIME_EXCEEDED" },
        { "end-before-start", 400, "POPULATION_DENSITY_DATA.INVALID_END_TIME" },
        { "eight-days", 400, "POPULATION_DENSITY_DATA.MAX_TIME_PERIOD_EXCEEDED" },
        { "past-and-future", 400, "POPULATION_DENSITY_DATA.INVALID_TIME_PERIOD" },
        { "no-key", 401, "UNAUTHENTICATED" },
        { "wrong-key", 401, "UNAUTHENTICATED" },
        { "ingest-key", 403, "PERMISSION_DENIED" },
        { "unknown-path", 404, "NOT_FOUND" },
        { "precision-3", 422, "POPULATION_DENSITY_DATA.UNSUPPORTED_PRECISION" },
        { "geohash-of-10", 422, "POPULATION_DENSITY_DATA.UNSUPPORTED_PRECISION" },
        { "too-many-cells", 422, "POPULATION_DENSITY_DATA.UNSUPPORTED_REQUEST" },
        { "too-big-for-sync", 422, "POPULATION_DENSITY_DATA.UNSUPPORTED_SYNC_RESPONSE" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_error_comes_with_its_status_code_and_the_correlator(string name, int status, string code)
    {
        var body = Valid();
        var (role, path, correlator, raw) = ("viewer", Retrieve, "test-" + name, (string?)null);
        var now = DateTimeOffset.UtcNow;
        switch (name)
        {
            case "unknown-property": body["colour"] = "red"; break;
            case "unknown-nested-property": body["area"]!["radius"] = 10; break;
            case "not-json": raw = "{\"area\":"; break;
            case "missing-endTime": body.Remove("endTime"); break;
            case "time-without-zone": body["startTime"] = "2026-12-07T10:00:00"; break;
            case "two-points": body["area"]!["boundary"]!.AsArray().RemoveAt(0); body["area"]!["boundary"]!.AsArray().RemoveAt(0); break;
            case "sixteen-points":
                body["area"]!["boundary"] = new JsonArray([.. Enumerable.Range(0, 16).Select(i => (JsonNode)Point(29.563 + (0.001 * Math.Sin(i * Math.PI / 8)), 106.579 + (0.001 * Math.Cos(i * Math.PI / 8))))]);
                break;
            case "latitude-91": body["area"]!["boundary"]![0]!["latitude"] = 91; break;
            case "precision-13": body["precision"] = 13; break;
            case "precision-with-geohashlist": body["area"] = new JsonObject { ["areaType"] = "GEOHASHLIST", ["geohashes"] = new JsonArray("wm7b1kt") }; body["precision"] = 7; break;
            case "bad-geohash": body["area"] = new JsonObject { ["areaType"] = "GEOHASHLIST", ["geohashes"] = new JsonArray("wm7b1ka") }; break;
            case "unknown-area-type": body["area"]!["areaType"] = "CIRCLE"; break;
            case "bad-correlator": correlator = "not allowed: spaces"; break;
            case "http-sink": body["sink"] = "http://example.com/sink"; break;
            case "private-key-jwt": body["sink"] = "https://example.com/sink"; body["sinkCredential"] = new JsonObject { ["credentialType"] = "PRIVATE_KEY_JWT" }; break;
            case "token-not-bearer":
                body["sink"] = "https://example.com/sink";
                body["sinkCredential"] = new JsonObject { ["credentialType"] = "ACCESSTOKEN", ["accessToken"] = "t", ["accessTokenExpiresUtc"] = At(now.AddDays(1)), ["accessTokenType"] = "mac" };
                break;
            case "bow-tie": body["area"]!["boundary"] = new JsonArray(Point(29.562, 106.578), Point(29.564, 106.580), Point(29.562, 106.580), Point(29.564, 106.578)); break;
            case "beyond-the-forecast": (body["startTime"], body["endTime"]) = (At(now.AddHours(2)), At(now.AddHours(3))); break;
            case "too-far-back": (body["startTime"], body["endTime"]) = (At(now.AddDays(-100)), At(now.AddDays(-100).AddHours(1))); break;
            case "end-before-start": (body["startTime"], body["endTime"]) = (At(now.AddHours(-2)), At(now.AddHours(-3))); break;
            case "eight-days": (body["startTime"], body["endTime"]) = (At(now.AddDays(-9)), At(now.AddDays(-1))); break;
            case "past-and-future": (body["startTime"], body["endTime"]) = (At(now.AddHours(-1)), At(now.AddHours(1))); break;
            case "no-key": role = null!; break;
            case "wrong-key": role = "wrong"; break;
            case "ingest-key": role = "ingest"; break;
            case "unknown-path": path = "/population-density-data/vwip/nothing-here"; break;
            case "precision-3": body["precision"] = 3; break;
            case "geohash-of-10": body["area"] = new JsonObject { ["areaType"] = "GEOHASHLIST", ["geohashes"] = new JsonArray("wm7b1kt", "wm7b1kt0bc") }; break;
            case "too-many-cells":
                body["area"]!["boundary"] = new JsonArray(Point(29.0, 106.0), Point(29.0, 107.0), Point(30.0, 107.0), Point(30.0, 106.0));
                body["precision"] = 9;
                break;
            case "too-big-for-sync": (body["startTime"], body["endTime"]) = (At(now.AddDays(-7)), At(now.AddDays(-1))); break;
            default: throw new ArgumentException(name);
        }

        using var client = role switch { null => _factory.ClientAs(null), "wrong" => _factory.ClientAs(null), _ => _factory.ClientAs(role) };
        if (role == "wrong") client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cwk_not-a-key");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(raw ?? body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-correlator", correlator);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {text}");
        using var error = JsonDocument.Parse(text);
        Assert.Equal(status, error.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(code, error.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
        Assert.Empty(CamaraSchemas.Errors(ErrorSchema(status), error.RootElement));
        // A valid correlator comes back on every answer; an invalid one is the error itself.
        if (name != "bad-correlator") Assert.Equal(correlator, response.Headers.GetValues("x-correlator").Single());
    }

    // The body schema the definition gives each status.
    private static string ErrorSchema(int status) => status switch
    {
        400 => "population-density-data.response.RetrieveLocationBadRequest400",
        422 => "population-density-data.response.RetrieveLocationUnprocessableContent422",
        _ => $"CAMARA_common.response.Generic{status}",
    };

    [Fact]
    public void The_schemas_refuse_what_the_definitions_forbid()
    {
        // The checks themselves: a wrong code, a missing message, a DENSITY_ESTIMATION cell without its numbers.
        using var wrongCode = JsonDocument.Parse("""{"status":400,"code":"NOT_A_CODE","message":"m"}""");
        Assert.NotEmpty(CamaraSchemas.Errors(ErrorSchema(400), wrongCode.RootElement));
        using var noMessage = JsonDocument.Parse("""{"status":401,"code":"UNAUTHENTICATED"}""");
        Assert.NotEmpty(CamaraSchemas.Errors(ErrorSchema(401), noMessage.RootElement));
        const string Cell = """{"status":"SUPPORTED_AREA","timedPopulationDensityData":[{"startTime":"2026-01-01T00:00:00Z","endTime":"2026-01-01T01:00:00Z","cellPopulationDensityData":[{"geohash":"wm7b1kt","dataType":"TYPE"}]}]}""";
        using var bare = JsonDocument.Parse(Cell.Replace("TYPE", "DENSITY_ESTIMATION", StringComparison.Ordinal));
        Assert.NotEmpty(CamaraSchemas.Errors("population-density-data.PopulationDensityResponse", bare.RootElement));
        using var low = JsonDocument.Parse(Cell.Replace("TYPE", "LOW_DENSITY", StringComparison.Ordinal));
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityResponse", low.RootElement));
        // A request the definition allows, and one with a property it does not know.
        using var valid = JsonDocument.Parse(Valid().ToJsonString());
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityRequest", valid.RootElement));
        var extra = Valid();
        extra["colour"] = "red";
        using var unknown = JsonDocument.Parse(extra.ToJsonString());
        Assert.NotEmpty(CamaraSchemas.Errors("population-density-data.PopulationDensityRequest", unknown.RootElement));
    }

    [Fact]
    public async Task Too_many_requests_get_the_camara_429_with_the_correlator()
    {
        using var limited = new CamaraFactory(("Api:RequestsPerMinute", "2"));
        await limited.StartAsync();
        using var client = limited.ClientAs("viewer");
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Post, Retrieve) { Content = new StringContent(Valid().ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Add("x-correlator", $"burst-{i}");
            last = await client.SendAsync(request);
        }

        using (last)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
            using var error = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
            Assert.Equal("TOO_MANY_REQUESTS", error.RootElement.GetProperty("code").GetString());
            Assert.Equal("burst-3", last.Headers.GetValues("x-correlator").Single());
        }
    }
}
