using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Geohashes;
using CrowdWatch.Geo.Storage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Dashboard.Tests.Camara;

public sealed class PopulationDensityTests : IAsyncLifetime
{
    private const long Hour = 3_600_000;
    private const long SlotMs = 900_000;
    private const string Retrieve = "/population-density-data/vwip/retrieve";
    private readonly CamaraFactory _factory = new();
    private long _hour;
    private int _cols;

    public async Task InitializeAsync()
    {
        await _factory.StartAsync();
        // Four slots of one past hour; people differ by cell and rise by slot.
        _hour = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / Hour) - 3) * Hour;
        var store = _factory.Services.GetRequiredService<ICountStore>();
        var grid = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"].Grid;
        _cols = grid.Spec.Cols;
        for (var s = 0; s < 4; s++)
        {
            var slot = _hour + (s * SlotMs);
            var rows = Enumerable.Range(0, grid.Spec.CellCount).Where(Peopled).Select(c => new CountRecord(slot, "people", c, People(c, s))).ToList();
            await store.WriteAsync(new CountBatch("riverside", "camara-test", [slot], rows));
        }
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    // The five columns of the east edge stay empty.
    private bool Peopled(int cell) => cell % _cols < _cols - 5;

    private static double People(int cell, int slot) => (20 + (cell * 7 % 90)) * (1 + (0.1 * slot));

    private static string At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Square(double lon, double lat, double halfLon, double halfLat, long startMs, long endMs) => new()
    {
        ["area"] = new JsonObject
        {
            ["areaType"] = "POLYGON",
            ["boundary"] = new JsonArray(
                new JsonObject { ["latitude"] = lat - halfLat, ["longitude"] = lon - halfLon },
                new JsonObject { ["latitude"] = lat - halfLat, ["longitude"] = lon + halfLon },
                new JsonObject { ["latitude"] = lat + halfLat, ["longitude"] = lon + halfLon },
                new JsonObject { ["latitude"] = lat + halfLat, ["longitude"] = lon - halfLon }),
        },
        ["startTime"] = At(startMs),
        ["endTime"] = At(endMs),
    };

    [Fact]
    public async Task Each_geohash_cell_of_a_polygon_is_the_walkable_share_of_our_cells_within_1_percent()
    {
        using var client = _factory.ClientAs("viewer");
        // 600 m square about the centre, the promenade across it; precision left out (7).
        var body = Square(106.5790, 29.5630, 0.0031, 0.0027, _hour + (5 * 60_000), _hour + (50 * 60_000));
        using var response = await client.PostAsJsonAsync(Retrieve, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityResponse", json.RootElement));
        Assert.Equal("SUPPORTED_AREA", json.RootElement.GetProperty("status").GetString());
        var interval = Assert.Single(json.RootElement.GetProperty("timedPopulationDensityData").EnumerateArray());
        Assert.Equal((At(_hour), At(_hour + Hour)), (interval.GetProperty("startTime").GetString(), interval.GetProperty("endTime").GetString()));

        // Independently: every cell of the grid against the geohash rectangle, walkable share by NetTopologySuite.
        var area = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"];
        var grid = area.Grid;
        var walkable = UnaryUnionOp.Union(area.WalkableSurfaces.Select(grid.Projection.Forward).ToList());
        var factory = new GeometryFactory();
        var extent = factory.ToGeometry(new Envelope(grid.Spec.OriginX, grid.Spec.MaxX, grid.Spec.OriginY, grid.Spec.MaxY));
        var polygon = factory.ToGeometry(new Envelope(106.5790 - 0.0031, 106.5790 + 0.0031, 29.5630 - 0.0027, 29.5630 + 0.0027));
        var (compared, walkableMatters) = (0, false);
        var cells = interval.GetProperty("cellPopulationDensityData").EnumerateArray().ToList();
        foreach (var cell in cells)
        {
            var hash = cell.GetProperty("geohash").GetString()!;
            Assert.Equal(7, hash.Length);
            var rectangle = Geohash.Bounds(hash).ToPolygon(factory);
            Assert.True(rectangle.Intersection(polygon).Area > 0, $"{hash} does not touch the polygon");
            var g = grid.Projection.Forward(rectangle);
            var km2 = g.Intersection(extent).Area / 1e6;
            var (slots, naive) = (new double[4], new double[4]);
            for (var id = 0; id < grid.Spec.CellCount; id++)
            {
                var square = factory.ToGeometry(grid.CellEnvelope(grid.CellAt(id)));
                var inCell = walkable.Intersection(square);
                var ground = square.Intersection(g).Area / square.Area;
                var share = inCell.Area > 0 ? inCell.Intersection(g).Area / inCell.Area : ground;
                for (var s = 0; s < 4; s++)
                {
                    var people = Peopled(id) ? People(id, s) : 0;
                    slots[s] += people * share;
                    naive[s] += people * ground;
                }
            }

            if (cell.GetProperty("dataType").GetString() != "DENSITY_ESTIMATION") continue;
            var mean = slots.Average() / km2;
            Assert.InRange(cell.GetProperty("pplDensity").GetInt32(), mean * 0.99, mean * 1.01);
            Assert.InRange(cell.GetProperty("minPplDensity").GetInt32(), slots.Min() / km2 * 0.99, slots.Min() / km2 * 1.01);
            Assert.InRange(cell.GetProperty("maxPplDensity").GetInt32(), slots.Max() / km2 * 0.99, slots.Max() / km2 * 1.01);
            walkableMatters |= Math.Abs((naive.Average() / km2) - mean) > 0.02 * mean;
            compared++;
        }

        Assert.True(compared >= 10, $"only {compared} cells had numbers");
        Assert.True(walkableMatters, "no cell where the walkable share differs from the ground's: the test cannot tell them apart");
    }

    // Independently: each grid cell's share of a geohash cell's walkable area, and the km² of it our grid covers.
    private (double[] Shares, double Km2) Shares(string hash)
    {
        var area = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"];
        var grid = area.Grid;
        var walkable = UnaryUnionOp.Union(area.WalkableSurfaces.Select(grid.Projection.Forward).ToList());
        var factory = new GeometryFactory();
        var extent = factory.ToGeometry(new Envelope(grid.Spec.OriginX, grid.Spec.MaxX, grid.Spec.OriginY, grid.Spec.MaxY));
        var g = grid.Projection.Forward(Geohash.Bounds(hash).ToPolygon(factory));
        var shares = new double[grid.Spec.CellCount];
        for (var id = 0; id < shares.Length; id++)
        {
            var square = factory.ToGeometry(grid.CellEnvelope(grid.CellAt(id)));
            var inCell = walkable.Intersection(square);
            shares[id] = inCell.Area > 0 ? inCell.Intersection(g).Area / inCell.Area : square.Intersection(g).Area / square.Area;
        }

        return (shares, g.Intersection(extent).Area / 1e6);
    }

    [Fact]
    public async Task A_future_hour_comes_from_the_newest_forecast_its_mean_and_summed_80_percent_intervals()
    {
        // A run issued now for the four slots of the hour after next: mean, and an 80% interval around it, by cell and slot.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var hour = ((now / Hour) + 2) * Hour;
        var cells = _factory.Services.GetRequiredService<AreaCatalog>().Areas["riverside"].Grid.Spec.CellCount;
        static double Mean(int cell, int slot) => (40 + (cell % 30)) * (1 + (0.05 * slot));
        var values = Enumerable.Range(0, 4).SelectMany(s => Enumerable.Range(0, cells).Select(c => new ForecastValue(
            c.ToString(System.Globalization.CultureInfo.InvariantCulture), false, 9 + s, hour + (s * SlotMs), Mean(c, s), Mean(c, s) * 0.8, Mean(c, s) * 1.3, Mean(c, s) * 0.7, Mean(c, s) * 1.5, []))).ToList();
        await _factory.Services.GetRequiredService<IForecastStore>().SaveRunAsync(new ForecastRun(Guid.NewGuid(), "riverside", now, now / SlotMs * SlotMs, "test", values));

        using var client = _factory.ClientAs("viewer");
        using var response = await client.PostAsJsonAsync(Retrieve, Square(106.5790, 29.5630, 0.0020, 0.0018, hour + 60_000, hour + (59 * 60_000)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityResponse", json.RootElement));
        var interval = Assert.Single(json.RootElement.GetProperty("timedPopulationDensityData").EnumerateArray());
        Assert.Equal(At(hour), interval.GetProperty("startTime").GetString());
        var compared = 0;
        foreach (var cell in interval.GetProperty("cellPopulationDensityData").EnumerateArray())
        {
            Assert.Equal("DENSITY_ESTIMATION", cell.GetProperty("dataType").GetString());
            var (shares, km2) = Shares(cell.GetProperty("geohash").GetString()!);
            double Sum(int slot, double scale) => Enumerable.Range(0, cells).Sum(c => shares[c] * Mean(c, slot) * scale);
            var mean = Enumerable.Range(0, 4).Average(s => Sum(s, 1)) / km2;
            var low = Enumerable.Range(0, 4).Min(s => Sum(s, 0.8)) / km2;
            var high = Enumerable.Range(0, 4).Max(s => Sum(s, 1.3)) / km2;
            Assert.InRange(cell.GetProperty("pplDensity").GetInt32(), mean * 0.99, mean * 1.01);
            Assert.InRange(cell.GetProperty("minPplDensity").GetInt32(), low * 0.99, low * 1.01);
            Assert.InRange(cell.GetProperty("maxPplDensity").GetInt32(), high * 0.99, high * 1.01);
            compared++;
        }

        Assert.True(compared >= 4, $"only {compared} cells");
        // The hour after the run's last slot is beyond the newest forecast.
        using var beyond = await client.PostAsJsonAsync(Retrieve, Square(106.5790, 29.5630, 0.0020, 0.0018, hour + Hour + 60_000, hour + Hour + (59 * 60_000)));
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains("POPULATION_DENSITY_DATA.MAX_STARTTIME_EXCEEDED", await beyond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geohash_lists_say_low_density_under_k_and_no_data_outside_the_grid()
    {
        using var client = _factory.ClientAs("operator");
        // The empty east edge (k applies to every role here), one cell by the centre, and one in Paris.
        var east = Geohash.Encode(106.5790 + 0.0070, 29.5630, 7);
        var centre = Geohash.Encode(106.5790, 29.5630, 7);
        async Task<JsonElement> AskAsync(params string[] hashes)
        {
            var body = new JsonObject
            {
                ["area"] = new JsonObject { ["areaType"] = "GEOHASHLIST", ["geohashes"] = new JsonArray([.. hashes.Select(h => (JsonNode)h)]) },
                ["startTime"] = At(_hour),
                ["endTime"] = At(_hour + (30 * 60_000)),
            };
            using var response = await client.PostAsJsonAsync(Retrieve, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityResponse", answer));
            return answer;
        }

        var mixed = await AskAsync(east, centre, "u09tunq");
        Assert.Equal("PART_OF_AREA_NOT_SUPPORTED", mixed.GetProperty("status").GetString());
        var cells = Assert.Single(mixed.GetProperty("timedPopulationDensityData").EnumerateArray()).GetProperty("cellPopulationDensityData").EnumerateArray()
            .ToDictionary(c => c.GetProperty("geohash").GetString()!, c => c);
        Assert.Equal("LOW_DENSITY", cells[east].GetProperty("dataType").GetString());
        Assert.False(cells[east].TryGetProperty("pplDensity", out _));
        Assert.Equal("DENSITY_ESTIMATION", cells[centre].GetProperty("dataType").GetString());
        Assert.Equal("NO_DATA", cells["u09tunq"].GetProperty("dataType").GetString());

        var paris = await AskAsync("u09tunq");
        Assert.Equal("AREA_NOT_SUPPORTED", paris.GetProperty("status").GetString());
        Assert.Empty(paris.GetProperty("timedPopulationDensityData").EnumerateArray());
    }
}
