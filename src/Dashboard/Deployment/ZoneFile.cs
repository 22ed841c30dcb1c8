using System.Text.Json;
using System.Text.Json.Nodes;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Deployment;

/// <summary>
/// Writes an admin's change of a zone's capacity or thresholds into the deployment's zones GeoJSON, the zones' one
/// source, so that it holds after a restart. The file is replaced whole (written beside it, then moved).
/// </summary>
public static class ZoneFile
{
    /// <summary>Sets <paramref name="zone"/>'s <c>capacity</c> and <c>thresholds</c> in <paramref name="path"/> (null removes them).</summary>
    public static void Update(string path, string zone, int? capacity, ZoneThresholds? thresholds)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
        var feature = (root["features"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(f => f["properties"]?["name"]?.GetValue<string>() == zone)
            ?? throw new KeyNotFoundException($"{path} has no zone named '{zone}'");
        var properties = feature["properties"] as JsonObject ?? throw new InvalidDataException($"{path}: zone '{zone}' has no properties");
        if (capacity is { } c) properties["capacity"] = c;
        else properties.Remove("capacity");
        if (thresholds is null)
        {
            properties.Remove("thresholds");
        }
        else
        {
            var t = new JsonObject();
            foreach (var (name, value) in new[] { ("blue", thresholds.Blue), ("yellow", thresholds.Yellow), ("orange", thresholds.Orange), ("red", thresholds.Red),
                ("blueUse", thresholds.BlueUse), ("yellowUse", thresholds.YellowUse), ("orangeUse", thresholds.OrangeUse), ("redUse", thresholds.RedUse) })
                if (value is { } v) t[name] = v;
            properties["thresholds"] = t;
        }

        var temporary = path + ".editing";
        File.WriteAllText(temporary, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.Move(temporary, path, overwrite: true);
    }
}
