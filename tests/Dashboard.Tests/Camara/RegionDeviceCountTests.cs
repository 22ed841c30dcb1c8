using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Dashboard.Tests.Camara;

public sealed class RegionDeviceCountTests : IAsyncLifetime
{
    private const string Count = "/regionDeviceCount/vwip/count";
    private const long SlotMs = 900_000;
    private readonly CamaraFactory _factory = new(services =>
    {
        services.AddSingleton(sp => new FailingCounts(sp.GetRequiredService<Store>().Counts));
        services.AddSingleton<ICountStore>(sp => sp.GetRequiredService<FailingCounts>());
    });

    private long _now;
    private int _cols;

    public async Task InitializeAsync()
    {
        await _factory.StartAsync();
        var grid = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"].Grid;
        _cols = grid.Spec.Cols;
        // Four slots up to the current one: people by cell, more each slot; the east edge has one person a cell.
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs;
        var store = _factory.Services.GetRequiredService<Store>().Counts;
        for (var s = 0; s < 4; s++)
        {
            var slot = _now - ((3 - s) * SlotMs);
            await store.WriteAsync(new CountBatch("riverside", "rdc-test", [slot], [.. Enumerable.Range(0, grid.Spec.CellCount).Select(c => new CountRecord(slot, "people", c, People(c, s)))]));
        }
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private double People(int cell, int slot) => cell % _cols >= _cols - 5 ? 0.05 : (20 + (cell * 7 % 90)) * (1 + (0.1 * slot));

    private static string At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Circle(double lon, double lat, double radius) => new()
    {
        ["area"] = new JsonObject { ["areaType"] = "CIRCLE", ["center"] = new JsonObject { ["latitude"] = lat, ["longitude"] = lon }, ["radius"] = radius },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(JsonNode body, string? role = "viewer", string? raw = null, string path = Count)
    {
        using var client = _factory.ClientAs(role);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(raw ?? body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-correlator", "rdc-test");
        var response = await client.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal("rdc-test", response.Headers.GetValues("x-correlator").Single());
        return (response.StatusCode, json, response);
    }

    // Independently: every grid cell against the region, walkable shares by NetTopologySuite.
    private double Expected(Func<Grid, Geometry> region, int slot)
    {
        var area = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"];
        var grid = area.Grid;
        var g = region(grid);
        var walkable = UnaryUnionOp.Union(area.WalkableSurfaces.Select(grid.Projection.Forward).ToList());
        var factory = new GeometryFactory();
        var sum = 0.0;
        for (var id = 0; id < grid.Spec.CellCount; id++)
        {
            var square = factory.ToGeometry(grid.CellEnvelope(grid.CellAt(id)));
            var inCell = walkable.Intersection(square);
            var share = inCell.Area > 0 ? inCell.Intersection(g).Area / inCell.Area : square.Intersection(g).Area / square.Area;
            sum += People(id, slot) * share;
        }

        return sum;
    }

    [Fact]
    public async Task A_circle_counts_the_walkable_share_of_our_cells_now_and_the_most_at_once_over_a_window()
    {
        Geometry Disc(Grid grid)
        {
            var (x, y) = grid.Projection.Forward(106.5790, 29.5630);
            return new GeometryFactory().CreatePoint(new Coordinate(x, y)).Buffer(350, 16);
        }

        var now = await PostAsync(Circle(106.5790, 29.5630, 350));
        Assert.Equal(HttpStatusCode.OK, now.Status);
        Assert.Empty(CamaraSchemas.Errors("region-device-count.RegionDeviceCountResponse", now.Body));
        Assert.Equal("SUPPORTED_AREA", now.Body.GetProperty("status").GetString());
        var newest = Expected(Disc, 3);
        Assert.InRange(now.Body.GetProperty("count").GetDouble(), newest * 0.99, newest * 1.01);

        // The two slots before the newest: the most at once is the later one.
        var window = Circle(106.5790, 29.5630, 350);
        (window["starttime"], window["endtime"]) = (At(_now - (3 * SlotMs)), At(_now - SlotMs - 1));
        var over = await PostAsync(window);
        var most = Expected(Disc, 1);
        Assert.InRange(over.Body.GetProperty("count").GetDouble(), most * 0.99, most * 1.01);
        Assert.True(most < newest);
    }

    [Fact]
    public async Task A_polygon_counts_the_walkable_share_of_our_cells()
    {
        // A quadrilateral across the promenade.
        (double Lon, double Lat)[] corners = [(106.5770, 29.5615), (106.5812, 29.5618), (106.5808, 29.5646), (106.5773, 29.5642)];
        var body = new JsonObject
        {
            ["area"] = new JsonObject
            {
                ["areaType"] = "POLYGON",
                ["boundary"] = new JsonArray([.. corners.Select(c => (JsonNode)new JsonObject { ["latitude"] = c.Lat, ["longitude"] = c.Lon })]),
            },
        };
        var (status, json, _) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(CamaraSchemas.Errors("region-device-count.RegionDeviceCountResponse", json));
        Assert.Equal("SUPPORTED_AREA", json.GetProperty("status").GetString());
        var ring = corners.Append(corners[0]).Select(c => new Coordinate(c.Lon, c.Lat)).ToArray();
        var expected = Expected(grid => grid.Projection.Forward(new GeometryFactory().CreatePolygon(ring)), 3);
        Assert.InRange(json.GetProperty("count").GetDouble(), expected * 0.99, expected * 1.01);
    }

    [Fact]
    public async Task Statuses_say_where_we_have_no_grid_no_data_or_too_few_people()
    {
        async Task<string> StatusAsync(JsonObject body)
        {
            var (status, json, _) = await PostAsync(body);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Empty(CamaraSchemas.Errors("region-device-count.RegionDeviceCountResponse", json));
            if (json.GetProperty("status").GetString() is not ("SUPPORTED_AREA" or "PART_OF_AREA_NOT_SUPPORTED")) Assert.Equal(0, json.GetProperty("count").GetInt64());
            return json.GetProperty("status").GetString()!;
        }

        Assert.Equal("AREA_NOT_SUPPORTED", await StatusAsync(Circle(2.3522, 48.8566, 500)));
        // Over the west edge: a little more than half of it on our grid.
        Assert.Equal("PART_OF_AREA_NOT_SUPPORTED", await StatusAsync(Circle(106.5790 - 0.0098, 29.5630, 150)));
        // The east edge: a twentieth of a person a cell.
        Assert.Equal("DENSITY_BELOW_PRIVACY_THRESHOLD", await StatusAsync(Circle(106.5790 + 0.0075, 29.5630, 120)));
        var old = Circle(106.5790, 29.5630, 350);
        (old["starttime"], old["endtime"]) = (At(_now - (30 * 86_400_000L)), At(_now - (29 * 86_400_000L)));
        Assert.Equal("TIME_INTERVAL_NO_DATA_FOUND", await StatusAsync(old));
    }

    public static TheoryData<string, int, string> Errors() => new()
    {
        { "not-json", 400, "INVALID_ARGUMENT" },
        { "unknown-area-type", 400, "INVALID_ARGUMENT" },
        { "only-starttime", 400, "REGION_DEVICE_COUNT.TIME_INVALID_ARGUMENT" },
        { "end-before-start", 400, "REGION_DEVICE_COUNT.INVALID_END_DATE" },
        { "no-radius", 400, "REGION_DEVICE_COUNT.INVALID_CIRCLE_AREA" },
        { "radius-0", 400, "REGION_DEVICE_COUNT.INVALID_CIRCLE_AREA" },
        { "bow-tie", 400, "REGION_DEVICE_COUNT.INVALID_POLYGON_AREA" },
        { "two-points", 400, "REGION_DEVICE_COUNT.INVALID_POLYGON_AREA" },
        { "no-key", 401, "UNAUTHENTICATED" },
        { "ingest-key", 403, "PERMISSION_DENIED" },
        { "unknown-path", 404, "NOT_FOUND" },
        { "a-bug", 500, "INTERNAL" },
        { "store-away", 503, "UNAVAILABLE" },
        { "read-timed-out", 504, "TIMEOUT" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Each_error_comes_with_its_status_code_and_body(string name, int status, string code)
    {
        var body = Circle(106.5790, 29.5630, 300);
        var (role, raw, path) = ((string?)"viewer", (string?)null, Count);
        JsonObject Point(double lat, double lon) => new() { ["latitude"] = lat, ["longitude"] = lon };
        var failing = _factory.Services.GetRequiredService<FailingCounts>();
        switch (name)
        {
            case "not-json": raw = "{"; break;
            case "unknown-area-type": body["area"]!["areaType"] = "GEOHASHLIST"; break;
            case "only-starttime": body["starttime"] = At(_now - SlotMs); break;
            case "end-before-start": (body["starttime"], body["endtime"]) = (At(_now), At(_now - SlotMs)); break;
            case "no-radius": body["area"]!.AsObject().Remove("radius"); break;
            case "radius-0": body["area"]!["radius"] = 0; break;
            case "bow-tie":
                body["area"] = new JsonObject { ["areaType"] = "POLYGON", ["boundary"] = new JsonArray(Point(29.562, 106.578), Point(29.564, 106.580), Point(29.562, 106.580), Point(29.564, 106.578)) };
                break;
            case "two-points": body["area"] = new JsonObject { ["areaType"] = "POLYGON", ["boundary"] = new JsonArray(Point(29.562, 106.578), Point(29.564, 106.580)) }; break;
            case "no-key": role = null; break;
            case "ingest-key": role = "ingest"; break;
            case "unknown-path": path = "/regionDeviceCount/vwip/nothing"; break;
            case "a-bug": failing.Failure = new InvalidOperationException("a bug"); break;
            case "store-away": failing.Failure = new StoreAway(); break;
            case "read-timed-out": failing.Failure = new TimeoutException("the read took too long"); break;
            default: throw new ArgumentException(name);
        }

        try
        {
            var (answered, json, _) = await PostAsync(body, role, raw, path);
            Assert.True((int)answered == status, $"{name}: {(int)answered} {json}");
            Assert.Equal((status, code), (json.GetProperty("status").GetInt32(), json.GetProperty("code").GetString()));
            Assert.Empty(CamaraSchemas.Errors($"region-device-count.response.Generic{status}", json));
        }
        finally
        {
            failing.Failure = null;
        }
    }

    private sealed class StoreAway() : DbException("the database is not answering");
}
