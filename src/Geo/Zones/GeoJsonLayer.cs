using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;

namespace CrowdWatch.Geo.Zones;

/// <summary>
/// Reads the polygon features of a GeoJSON FeatureCollection, checking each geometry; a feature that is not a valid
/// Polygon or MultiPolygon becomes a <see cref="LayerProblem"/> and the rest of the layer still loads.
/// </summary>
public static class GeoJsonLayer
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>One polygon feature: its index, geometry and properties object.</summary>
    public readonly record struct PolygonFeature(int Index, Geometry Geometry, JsonElement Properties);

    /// <summary>Reads the valid polygon features of <paramref name="json"/>; problems go to <paramref name="problems"/>.</summary>
    public static List<PolygonFeature> ReadPolygons(string file, string json, List<LayerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var result = new List<PolygonFeature>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            problems.Add(new LayerProblem(file, "(file)", $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}"));
            return result;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new LayerProblem(file, "(file)", "expected a GeoJSON FeatureCollection with a 'features' array"));
                return result;
            }

            var index = 0;
            foreach (var feature in features.EnumerateArray())
            {
                var properties = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.Clone()
                    : default;
                var label = Label(index, properties);
                if (ReadGeometry(feature, out var problem) is { } geometry)
                    result.Add(new PolygonFeature(index, geometry, properties));
                else
                    problems.Add(new LayerProblem(file, label, problem!));
                index++;
            }
        }

        return result;
    }

    /// <summary>"feature #3 'Hongyadong'" or "feature #3".</summary>
    public static string Label(int index, JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? $"feature #{index} '{n.GetString()}'"
            : $"feature #{index}";

    private static Geometry? ReadGeometry(JsonElement feature, out string? problem)
    {
        problem = null;
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object)
        {
            problem = "has no geometry object";
            return null;
        }

        Geometry? geometry;
        try
        {
            geometry = g.Deserialize<Geometry>(Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            problem = $"geometry could not be read: {e.Message}";
            return null;
        }

        if (geometry is not (Polygon or MultiPolygon))
        {
            problem = $"geometry is {geometry?.GeometryType ?? "empty"}; expected Polygon or MultiPolygon";
            return null;
        }

        if (geometry.IsEmpty)
        {
            problem = "geometry is empty";
            return null;
        }

        foreach (var c in geometry.Coordinates)
        {
            if (!(c.X is >= -180 and <= 180 && c.Y is >= -90 and <= 90))
            {
                problem = $"coordinate ({c.X}, {c.Y}) is not lon/lat in WGS84 (expected lon -180..180, lat -90..90)";
                return null;
            }
        }

        var validation = new IsValidOp(geometry).ValidationError;
        if (validation is not null)
        {
            problem = $"invalid geometry: {validation.Message} at ({validation.Coordinate?.X}, {validation.Coordinate?.Y})";
            return null;
        }

        return geometry;
    }
}
