using System.Text.Json;

namespace CrowdWatch.Geo.Zones;

/// <summary>
/// Reads zones from GeoJSON: Polygon or MultiPolygon features with a <c>name</c> and optional <c>capacity</c>
/// (people), <c>walkableAreaM2</c> and <c>thresholds</c> (<c>{"blue": 1.0, "yellow": 2.0, "orange": 3.5, "red": 5.0}</c>
/// in persons/m², and <c>blueUse</c> .. <c>redUse</c> as shares of capacity), and display names <c>name_zh</c> and <c>name_en</c>. Each bad feature is reported and skipped.
/// </summary>
public static class ZoneReader
{
    /// <summary>Reads zones from a file.</summary>
    public static IReadOnlyList<Zone> ReadFile(string path, List<LayerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new LayerProblem(path, "(file)", $"cannot be read: {e.Message}"));
            return [];
        }

        return Read(path, json, problems);
    }

    /// <summary>Reads zones from GeoJSON text; <paramref name="file"/> names it in problems.</summary>
    public static IReadOnlyList<Zone> Read(string file, string json, List<LayerProblem> problems)
    {
        var zones = new List<Zone>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in GeoJsonLayer.ReadPolygons(file, json, problems))
        {
            var label = GeoJsonLayer.Label(f.Index, f.Properties);
            if (f.Properties.ValueKind != JsonValueKind.Object || !f.Properties.TryGetProperty("name", out var n)
                || n.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(n.GetString()))
            {
                problems.Add(new LayerProblem(file, label, "property 'name' is missing; expected a non-empty string"));
                continue;
            }

            var name = n.GetString()!.Trim();
            if (!names.Add(name))
            {
                problems.Add(new LayerProblem(file, label, $"name '{name}' is used by an earlier feature; zone names must be unique"));
                continue;
            }

            if (!TryNumber(f.Properties, "capacity", out var capacity, out var problem)
                || !TryNumber(f.Properties, "walkableAreaM2", out var walkable, out problem)
                || !TryThresholds(f.Properties, out var thresholds, out problem))
            {
                problems.Add(new LayerProblem(file, label, problem!));
                continue;
            }

            if (capacity is { } c && c != Math.Floor(c))
            {
                problems.Add(new LayerProblem(file, label, $"property 'capacity' must be a whole number of people, got {c}"));
                continue;
            }

            zones.Add(new Zone(name, f.Geometry, capacity is { } cap ? (int)Math.Min(cap, int.MaxValue) : null, walkable, thresholds,
                Text(f.Properties, "name_zh"), Text(f.Properties, "name_en")));
        }

        return zones;
    }

    // Display names are optional: anything but a non-empty string is taken as absent.
    private static string? Text(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static bool TryNumber(JsonElement properties, string name, out double? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!properties.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return true;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var v) || !(v > 0) || !double.IsFinite(v))
        {
            problem = $"property '{name}' must be a positive number, got {e.GetRawText()}";
            return false;
        }

        value = v;
        return true;
    }

    private static bool TryThresholds(JsonElement properties, out ZoneThresholds? thresholds, out string? problem)
    {
        thresholds = null;
        problem = null;
        if (!properties.TryGetProperty("thresholds", out var t) || t.ValueKind == JsonValueKind.Null) return true;
        if (t.ValueKind != JsonValueKind.Object)
        {
            problem = "property 'thresholds' must be an object such as {\"yellow\": 2.0, \"red\": 4.0} in persons/m²";
            return false;
        }

        if (!TryNumber(t, "blue", out var blue, out problem) || !TryNumber(t, "yellow", out var yellow, out problem)
            || !TryNumber(t, "orange", out var orange, out problem) || !TryNumber(t, "red", out var red, out problem)
            || !TryNumber(t, "blueUse", out var blueUse, out problem) || !TryNumber(t, "yellowUse", out var yellowUse, out problem)
            || !TryNumber(t, "orangeUse", out var orangeUse, out problem) || !TryNumber(t, "redUse", out var redUse, out problem))
        {
            problem = "thresholds: " + problem;
            return false;
        }

        thresholds = new ZoneThresholds(blue, yellow, orange, red, blueUse, yellowUse, orangeUse, redUse);
        if (!thresholds.IsValid(out var reason))
        {
            problem = "thresholds: " + reason;
            return false;
        }

        return true;
    }
}
