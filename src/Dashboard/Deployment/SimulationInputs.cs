using System.Text.Json;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Simulation;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CrowdWatch.Dashboard.Deployment;

/// <summary>
/// What the simulator needs from a deployment's files: the zones as places (with their <c>kind</c> and <c>draw</c>
/// properties), the base map's roads and water, the holiday calendar and the POI gazetteer. Problems are collected,
/// not thrown: a missing layer makes a plainer simulation, not none.
/// </summary>
internal sealed record SimulationInputs(IReadOnlyList<SimPlace> Places, RouteNetwork Routes, IReadOnlyList<Geometry> Water, HolidayCalendar Calendar, PoiGazetteer Gazetteer)
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>Loads the inputs of <paramref name="area"/> from its deployment entry.</summary>
    public static SimulationInputs Load(Area area, DeploymentFile.AreaEntry? entry, List<LayerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(area);
        var places = new List<SimPlace>();
        if (entry?.ZonesPath is { } zonesPath && Read(zonesPath, problems) is { } zonesJson)
        {
            foreach (var f in GeoJsonLayer.ReadPolygons(zonesPath, zonesJson, problems))
            {
                var name = Text(f.Properties, "name");
                if (name.Length == 0) continue;
                var kind = Text(f.Properties, "kind").ToLowerInvariant() switch
                {
                    "shopping" => PlaceKind.Shopping,
                    "transit" => PlaceKind.Transit,
                    "residential" => PlaceKind.Residential,
                    _ => PlaceKind.Scenic,
                };
                var capacity = (int)Number(f.Properties, "capacity", 5000);
                places.Add(new SimPlace(name, kind, f.Geometry, capacity, Number(f.Properties, "draw", 1)));
            }
        }

        var frame = LocalFrame.At((area.Grid.Bounds.MinLat + area.Grid.Bounds.MaxLat) / 2);
        var roads = new List<LineString>();
        var water = new List<Geometry>();
        if (entry?.BaseMapPath is { } basePath && Read(basePath, problems) is { } baseJson) ReadBaseMap(basePath, baseJson, roads, water, problems);

        var calendar = HolidayCalendar.Empty;
        if (entry?.CalendarPath is { } calendarPath && Read(calendarPath, problems) is { } calendarJson)
            calendar = CalendarReader.Read(calendarJson, calendarPath, problems);

        var gazetteer = new PoiGazetteer();
        if (entry?.PoiPath is { } poiPath && File.Exists(poiPath))
        {
            using var stream = File.OpenRead(poiPath);
            gazetteer = PoiGazetteer.Load(stream, poiPath, new RejectLog(new IngestReport()));
        }

        return new SimulationInputs(places, new RouteNetwork(roads, frame), water, calendar, gazetteer);
    }

    private static void ReadBaseMap(string file, string json, List<LineString> roads, List<Geometry> water, List<LayerProblem> problems)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!doc.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new LayerProblem(file, "(file)", "expected a GeoJSON FeatureCollection with a 'features' array"));
                return;
            }

            var i = 0;
            foreach (var f in features.EnumerateArray())
            {
                var label = $"feature #{i++}";
                if (!f.TryGetProperty("geometry", out var g) || !f.TryGetProperty("properties", out var p)) continue;
                var layer = Text(p, "layer");
                if (layer is not ("water" or "road" or "bridge")) continue;
                Geometry? geometry;
                try
                {
                    geometry = g.Deserialize<Geometry>(GeoJson);
                }
                catch (JsonException e)
                {
                    problems.Add(new LayerProblem(file, label, $"geometry cannot be read: {e.Message}"));
                    continue;
                }

                if (layer == "water" && geometry is Polygon or MultiPolygon) water.Add(geometry);
                else if (geometry is LineString line) roads.Add(line);
            }
        }
        catch (JsonException e)
        {
            problems.Add(new LayerProblem(file, "(file)", $"not valid JSON at line {e.LineNumber + 1}: {e.Message}"));
        }
    }

    private static string? Read(string path, List<LayerProblem> problems)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new LayerProblem(path, "(file)", $"cannot be read: {e.Message}"));
            return null;
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";

    private static double Number(JsonElement e, string name, double fallback) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
}
