using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Tests.Zones;

public class ZoneLayerTests
{
    private static readonly Grid Grid = Grid.Create(new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 3000, HeightM = 3000 });

    private const string Zones = """
    {"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Hongyadong","capacity":20000,"thresholds":{"yellow":2.0,"red":4.0}},
       "geometry":{"type":"Polygon","coordinates":[[[106.5775,29.5622],[106.5802,29.5624],[106.5806,29.5641],[106.5781,29.5639],[106.5775,29.5622]]]}},
      {"type":"Feature","properties":{"name":"Two plazas","walkableAreaM2":5000},
       "geometry":{"type":"MultiPolygon","coordinates":[
         [[[106.5700,29.5550],[106.5720,29.5550],[106.5720,29.5565],[106.5700,29.5565],[106.5700,29.5550]]],
         [[[106.5850,29.5700],[106.5863,29.5700],[106.5863,29.5712],[106.5850,29.5700]]]]}}
    ]}
    """;

    [Fact]
    public void Zone_thresholds_carry_densities_capacity_shares_and_display_names()
    {
        const string json = """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"hyd","name_zh":"洪崖洞","name_en":"Hongyadong","capacity":15000,
             "thresholds":{"orange":2.5,"orangeUse":0.9,"redUse":0.98}},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}]}
            """;
        var zone = Assert.Single(ZoneReader.Read("zones.geojson", json, []));
        Assert.Equal(new ZoneThresholds(null, null, 2.5, null, null, null, 0.9, 0.98), zone.Thresholds);
        Assert.Equal(("洪崖洞", "Hongyadong"), (zone.NameZh, zone.NameEn));
    }

    [Fact]
    public void Zone_overlap_areas_with_cells_sum_to_the_zone_area()
    {
        var problems = new List<LayerProblem>();
        var layer = new ZoneLayer(Grid, ZoneReader.Read("zones.geojson", Zones, problems));
        Assert.Empty(problems);
        Assert.Equal(2, layer.Zones.Count);
        for (var z = 0; z < layer.Zones.Count; z++)
        {
            var sum = layer.Overlaps[z].Sum(o => o.AreaM2);
            Assert.True(layer.ProjectedAreasM2[z] > 10_000);
            Assert.Equal(layer.ProjectedAreasM2[z], sum, 1e-6 * layer.ProjectedAreasM2[z]);
            Assert.True(layer.Overlaps[z].Length > 1);
            Assert.All(layer.Overlaps[z], o => Assert.InRange(o.CellFraction, 1e-12, 1.0));
        }
    }

    [Fact]
    public void Zone_people_follow_from_cell_people_by_the_share_of_each_cell_covered()
    {
        var layer = new ZoneLayer(Grid, ZoneReader.Read("zones.geojson", Zones, []));
        var people = new double[Grid.Spec.CellCount];
        Array.Fill(people, 10.0); // 10 people in every cell: the zone holds 10 per cell-area it covers
        var expected = layer.ProjectedAreasM2[0] / (Grid.Spec.CellSizeM * Grid.Spec.CellSizeM) * 10;
        Assert.Equal(expected, layer.ZonePeople(0, people), 6);
        var walkable = new double[Grid.Spec.CellCount];
        Array.Fill(walkable, 100.0);
        Assert.Equal(5000, layer.ZoneWalkableM2(1, walkable));
        Assert.Equal(expected * 10, layer.ZoneWalkableM2(0, walkable), 6);
    }

    [Fact]
    public void Zones_at_a_point_are_found_through_the_index()
    {
        var layer = new ZoneLayer(Grid, ZoneReader.Read("zones.geojson", Zones, []));
        Assert.Equal(new[] { 0 }, layer.ZonesAt(106.5790, 29.5631));
        Assert.Equal(new[] { 1 }, layer.ZonesAt(106.5710, 29.5557));
        Assert.Empty(layer.ZonesAt(106.5750, 29.5600));
    }

    [Theory]
    [InlineData("""{"type":"Feature","properties":{"name":"Bowtie"},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.57],[106.58,29.56],[106.57,29.57],[106.57,29.56]]]}}""", "'Bowtie'", "Self-intersection")]
    [InlineData("""{"type":"Feature","properties":{"capacity":5},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}""", "feature #2", "'name' is missing")]
    [InlineData("""{"type":"Feature","properties":{"name":"Pin"},"geometry":{"type":"Point","coordinates":[106.57,29.56]}}""", "'Pin'", "expected Polygon or MultiPolygon")]
    [InlineData("""{"type":"Feature","properties":{"name":"Swapped"},"geometry":{"type":"Polygon","coordinates":[[[29.56,106.57],[29.56,106.58],[29.57,106.58],[29.56,106.57]]]}}""", "'Swapped'", "not lon/lat")]
    [InlineData("""{"type":"Feature","properties":{"name":"Hongyadong"},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}""", "'Hongyadong'", "unique")]
    [InlineData("""{"type":"Feature","properties":{"name":"Cap","capacity":-3},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}""", "'Cap'", "'capacity' must be a positive number")]
    [InlineData("""{"type":"Feature","properties":{"name":"Levels","thresholds":{"yellow":3,"red":2}},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}""", "'Levels'", "must be above")]
    [InlineData("""{"type":"Feature","properties":{"name":"Shares","thresholds":{"orangeUse":0.9,"redUse":0.8}},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57],[106.57,29.56]]]}}""", "'Shares'", "'redUse' (0.8) must be above")]
    [InlineData("""{"type":"Feature","properties":{"name":"Open"},"geometry":{"type":"Polygon","coordinates":[[[106.57,29.56],[106.58,29.56],[106.58,29.57]]]}}""", "'Open'", "could not be read")]
    public void Bad_zone_features_are_reported_by_name_and_problem_while_the_others_load(string badFeature, string label, string problem)
    {
        var json = Zones.TrimEnd()[..^2] + "," + badFeature + "]}";
        var problems = new List<LayerProblem>();
        var zones = ZoneReader.Read("zones.geojson", json, problems);

        var p = Assert.Single(problems);
        Assert.Contains(label, p.Feature, StringComparison.Ordinal);
        Assert.Contains(problem, p.Problem, StringComparison.Ordinal);
        Assert.Equal(2, zones.Count);
    }

    [Fact]
    public void Invalid_json_is_a_problem_with_a_line_number_not_a_crash()
    {
        var problems = new List<LayerProblem>();
        var zones = ZoneReader.Read("zones.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[{]}", problems);
        Assert.Empty(zones);
        Assert.Contains("line 2", Assert.Single(problems).Problem, StringComparison.Ordinal);
    }
}
