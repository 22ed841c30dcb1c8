using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace CrowdWatch.Dashboard.Tests.Camara;

/// <summary>
/// The CAMARA definitions' schemas, read from the YAML vendored at <c>data/specs/camara/</c> (with the common files
/// their <c>$ref</c>s point into) and checked with JsonSchema.Net. OpenAPI 3.0 schemas are JSON Schema but for the
/// discriminator, which becomes "if the property has this value, then the mapped schema holds".
/// </summary>
internal static class CamaraSchemas
{
    private static readonly string[] Files = ["API_definitions/population-density-data.yaml", "API_definitions/region-device-count.yaml", "common/CAMARA_common.yaml", "common/CAMARA_event_common.yaml"];
    private static readonly Lazy<JsonObject> Defs = new(Load);
    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    /// <summary>The errors of <paramref name="instance"/> against the definition's schema <paramref name="name"/> (e.g. <c>population-density-data.PopulationDensityResponse</c>); empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string name, JsonElement instance)
    {
        var schema = Built.GetOrAdd(name, n =>
        {
            if (!Defs.Value.ContainsKey(n)) throw new ArgumentException($"no schema {n} in the definitions");
            var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$defs"] = Defs.Value.DeepClone(), ["$ref"] = "#/$defs/" + n };
            return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://crowdwatch.test/camara/{Uri.EscapeDataString(n)}"));
        });
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}"))];
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "specs", "camara");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException($"data/specs/camara not found in the repository above {AppContext.BaseDirectory}");
    }

    // Every component schema of every file, named "{file}.{schema}", with its $refs pointing into $defs.
    private static JsonObject Load()
    {
        var root = Root();
        var defs = new JsonObject();
        var owners = new List<(string Prefix, string Name)>();
        foreach (var file in Files)
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(Path.Combine(root, file))) yaml.Load(reader);
            var doc = (JsonObject)ToJson(yaml.Documents[0].RootNode)!;
            var prefix = Path.GetFileNameWithoutExtension(file);
            foreach (var (name, schema) in doc["components"]?["schemas"] as JsonObject ?? [])
            {
                defs[$"{prefix}.{name}"] = Rewrite(schema!.DeepClone(), prefix, name);
                owners.Add((prefix, name));
            }

            // An error response's body schema, as "{file}.response.{name}".
            foreach (var (name, response) in doc["components"]?["responses"] as JsonObject ?? [])
                if (response?["content"]?["application/json"]?["schema"] is { } body) defs[$"{prefix}.response.{name}"] = Rewrite(body.DeepClone(), prefix, name);
        }

        // A discriminator: "if the property has this value, then the mapped schema holds", the mapped schema taken
        // without its reference back to this one (which would recurse).
        foreach (var (prefix, name) in owners)
        {
            var owner = (JsonObject)defs[$"{prefix}.{name}"]!;
            if (owner["discriminator"] is not JsonObject d) continue;
            owner.Remove("discriminator");
            var property = d["propertyName"]!.GetValue<string>();
            var all = owner["allOf"] as JsonArray ?? [];
            foreach (var (value, target) in (d["mapping"] as JsonObject) ?? [])
            {
                var mapped = defs[Target(target!.GetValue<string>(), prefix)["#/$defs/".Length..]]!;
                var self = $"#/$defs/{prefix}.{name}";
                var rest = mapped["allOf"] is JsonArray parts ? parts.Where(p => p?["$ref"]?.GetValue<string>() != self).Select(p => p!.DeepClone()).ToArray() : null;
                JsonNode then = rest is null ? new JsonObject { ["$ref"] = Target(target.GetValue<string>(), prefix) }
                    : rest.Length == 0 ? new JsonObject()
                    : new JsonObject { ["allOf"] = new JsonArray(rest) };
                all.Add(new JsonObject
                {
                    ["if"] = new JsonObject { ["properties"] = new JsonObject { [property] = new JsonObject { ["const"] = value } }, ["required"] = new JsonArray(property) },
                    ["then"] = then,
                });
            }

            if (owner["allOf"] is null) owner["allOf"] = all;
        }

        return defs;
    }

    private static JsonNode Rewrite(JsonNode node, string file, string owner)
    {
        switch (node)
        {
            case JsonObject o:
            {
                if (o["$ref"] is JsonValue r) o["$ref"] = Target(r.GetValue<string>(), file);
                o.Remove("example");
                if (o["nullable"] is JsonValue n && n.GetValue<bool>())
                {
                    o.Remove("nullable");
                    if (o["type"] is JsonValue t) o["type"] = new JsonArray(t.GetValue<string>(), "null");
                }

                foreach (var key in o.Select(p => p.Key).ToList())
                    if (key is not "discriminator" && o[key] is { } child) o[key] = Rewrite(child.DeepClone(), file, owner);
                return o;
            }

            case JsonArray a:
                for (var i = 0; i < a.Count; i++) if (a[i] is { } item) a[i] = Rewrite(item.DeepClone(), file, owner);
                return a;
            default:
                return node;
        }
    }

    private static string Target(string reference, string file)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var (path, pointer) = (reference[..hash], reference[(hash + 1)..]);
        var name = pointer["/components/schemas/".Length..];
        var prefix = path.Length == 0 ? file : Path.GetFileNameWithoutExtension(path);
        return $"#/$defs/{prefix}.{name}";
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(ToJson)]),
        YamlScalarNode v when v.Style is YamlDotNet.Core.ScalarStyle.Plain => Plain(v.Value),
        YamlScalarNode v => JsonValue.Create(v.Value),
        _ => null,
    };

    private static JsonNode? Plain(string? text) => text switch
    {
        null or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(text),
    };
}
