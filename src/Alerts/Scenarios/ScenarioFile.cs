using System.Globalization;
using System.Text.Json;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Time;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// A scenario as a planner writes it (JSON, comments allowed; see README, Scenario planning), read against an area:
/// places are resolved to cells, times to instants in the area's time zone. Every problem names its field and what
/// was expected; a scenario with any problem is not run.
/// </summary>
/// <param name="Name">Its name.</param>
/// <param name="Area">The area it is about (null: the deployment's first).</param>
/// <param name="FromMs">Start, Unix ms (on a step boundary).</param>
/// <param name="ToMs">End, Unix ms.</param>
/// <param name="StepMinutes">Minutes per step.</param>
/// <param name="Baseline">Where the usual crowd comes from.</param>
/// <param name="DwellMinutes">How long a visitor stays.</param>
/// <param name="Factor">Per cell, the change of the usual crowd (1: none).</param>
/// <param name="Changes">The changes as written, for reports.</param>
/// <param name="Events">Events.</param>
/// <param name="Closures">Closures.</param>
/// <param name="Admissions">Admission limits.</param>
/// <param name="Recommend">Whether to search the admission limits that keep every zone below Orange.</param>
public sealed record ScenarioFile(string Name, string? Area, long FromMs, long ToMs, int StepMinutes, BaselineSpec Baseline, double DwellMinutes,
    double[] Factor, IReadOnlyList<string> Changes, IReadOnlyList<ScenarioEvent> Events, IReadOnlyList<ScenarioClosure> Closures,
    IReadOnlyList<AdmissionLimit> Admissions, bool Recommend)
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>Steps in the window.</summary>
    public int Steps => (int)((ToMs - FromMs) / (StepMinutes * 60_000L));

    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads <paramref name="json"/> (from <paramref name="source"/>) against <paramref name="area"/>; null with <paramref name="problems"/> when it cannot run.</summary>
    public static ScenarioFile? Read(string source, string json, Area area, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            problems.Add($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}");
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{source}: expected a JSON object with name, from, to and the scenario's changes");
                return null;
            }

            var reader = new Fields(source, area, problems);
            var name = reader.Text(root, "name") ?? Path.GetFileNameWithoutExtension(source);
            var areaName = reader.Text(root, "area");
            if (areaName is not null && areaName != area.Name) problems.Add($"{source}: area: '{areaName}' is not the area read ({area.Name})");
            var step = reader.Integer(root, "stepMinutes", 5, 1, 60);
            var from = reader.Instant(root, "from", required: true);
            var to = reader.Instant(root, "to", required: true);
            if (from is { } f && to is { } t)
            {
                if (t <= f) problems.Add($"{source}: to: must be after from");
                else if (t - f > 7 * 86_400_000L) problems.Add($"{source}: to: a scenario spans at most 7 days");
                if (step is { } s && (f % (s * 60_000L) != 0 || (t - f) % (s * 60_000L) != 0)) problems.Add($"{source}: from/to: expected whole steps of {s} minutes on the clock, e.g. 18:00 or 18:05");
            }

            var baseline = reader.Baseline(root);
            var dwell = reader.Number(root, "dwellMinutes", 60, 1, 1440);
            var factor = Enumerable.Repeat(1.0, area.Grid.Spec.CellCount).ToArray();
            var changes = new List<string>();
            foreach (var (item, path) in reader.Items(root, "changes"))
            {
                if (reader.Number(item, "factor", null, 0, 100, path) is not { } k) continue;
                if (reader.Zone(item, path, required: false) is { } z)
                {
                    foreach (var o in area.Zones.Overlaps[z]) factor[o.CellId] *= 1 + ((k - 1) * Math.Min(1, o.CellFraction));
                    changes.Add(string.Create(CultureInfo.InvariantCulture, $"{k:0.##}x in {area.Zones.Zones[z].Name}"));
                }
                else if (!item.TryGetProperty("zone", out _))
                {
                    for (var c = 0; c < factor.Length; c++) factor[c] *= k;
                    changes.Add(string.Create(CultureInfo.InvariantCulture, $"{k:0.##}x everywhere"));
                }
            }

            var events = ReadEvents(reader, root, source, problems);

            var closures = new List<ScenarioClosure>();
            foreach (var (item, path) in reader.Items(root, "closures"))
            {
                var cells = reader.Place(item, path, required: true, lines: true);
                var cFrom = reader.Instant(item, "from", required: false, path) ?? from ?? 0;
                var cTo = reader.Instant(item, "to", required: false, path) ?? to ?? 0;
                if (cells is not null) closures.Add(new ScenarioClosure(reader.Text(item, "name", path) ?? reader.Text(item, "zone", path) ?? path, cells, cFrom, cTo));
            }

            var admissions = ReadAdmissions(reader, root, source, area, problems);

            var recommend = reader.Boolean(root, "recommend", true);
            if (problems.Count > before || from is null || to is null || step is null || dwell is null || baseline is null) return null;
            return new ScenarioFile(name, areaName, from.Value, to.Value, step.Value, baseline, dwell.Value, factor, changes, events, closures, admissions, recommend);
        }
    }

    // The events: venue, attendance, start and end, how people arrive and leave.
    private static List<ScenarioEvent> ReadEvents(Fields reader, JsonElement root, string source, List<string> problems)
    {
        var events = new List<ScenarioEvent>();
        foreach (var (item, path) in reader.Items(root, "events"))
        {
            var evName = reader.Text(item, "name", path) ?? path;
            var venue = reader.Place(item, path, required: true);
            var attendance = reader.Number(item, "attendance", null, 1, 10_000_000, path);
            var start = reader.Instant(item, "start", required: true, path);
            var end = reader.Instant(item, "end", required: true, path);
            var arrival = reader.Integer(item, "arrivalMinutes", 60, 0, 720, path);
            var departure = reader.Integer(item, "departureMinutes", 30, 0, 720, path);
            var profile = reader.Profile(item, path);
            if (start is { } s0 && end is { } e0 && e0 <= s0) problems.Add($"{source}: {path}.end: must be after its start");
            if (venue is not null && attendance is { } a && start is { } s1 && end is { } e1 && arrival is { } am && departure is { } dm && profile is { } p)
                events.Add(new ScenarioEvent(evName, venue, a, s1, e1, am, dm, p));
        }

        return events;
    }

    // The admission limits, one per zone at most.
    private static List<AdmissionLimit> ReadAdmissions(Fields reader, JsonElement root, string source, Area area, List<string> problems)
    {
        var admissions = new List<AdmissionLimit>();
        foreach (var (item, path) in reader.Items(root, "admissions"))
        {
            var zone = reader.Zone(item, path, required: true);
            var rate = reader.Number(item, "peoplePerMinute", null, 0, 1_000_000, path);
            if (zone is { } z && rate is { } r)
            {
                if (admissions.Any(x => x.Zone == z)) problems.Add($"{source}: {path}.zone: '{area.Zones.Zones[z].Name}' has a limit already");
                else admissions.Add(new AdmissionLimit(z, r));
            }
        }

        return admissions;
    }

    /// <summary>The typed reading of fields, each problem naming the file and the field's path.</summary>
    private sealed class Fields(string source, Area area, List<string> problems)
    {
        private static string At(string? path, string name) => path is null ? name : $"{path}.{name}";

        public string? Text(JsonElement o, string name, string? path = null)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s) return s;
            problems.Add($"{source}: {At(path, name)}: expected a non-empty string");
            return null;
        }

        public double? Number(JsonElement o, string name, double? fallback, double min, double max, string? path = null)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (fallback is null) problems.Add($"{source}: {At(path, name)}: missing; expected a number from {min} to {max}");
                return fallback;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= min && d <= max && double.IsFinite(d)) return d;
            problems.Add($"{source}: {At(path, name)}: expected a number from {min} to {max}, got {v.GetRawText()}");
            return null;
        }

        public int? Integer(JsonElement o, string name, int fallback, int min, int max, string? path = null)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min && i <= max) return i;
            problems.Add($"{source}: {At(path, name)}: expected a whole number from {min} to {max}, got {v.GetRawText()}");
            return null;
        }

        public bool Boolean(JsonElement o, string name, bool fallback)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            problems.Add($"{source}: {name}: expected true or false, got {v.GetRawText()}");
            return fallback;
        }

        /// <summary>An instant with an offset, or a local date-time in the area's time zone.</summary>
        public long? Instant(JsonElement o, string name, bool required, string? path = null)
        {
            var text = Text(o, name, path);
            if (text is null)
            {
                if (required) problems.Add($"{source}: {At(path, name)}: missing; expected {Instants.Expected} or a local time such as 2026-10-01T18:00");
                return null;
            }

            if (Instants.TryParse(text, out var ms)) return ms;
            if (DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return new DateTimeOffset(local, area.TimeZone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
            problems.Add($"{source}: {At(path, name)}: '{text}' is not {Instants.Expected} or a local time such as 2026-10-01T18:00");
            return null;
        }

        public IEnumerable<(JsonElement Item, string Path)> Items(JsonElement o, string name)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) yield break;
            if (v.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{source}: {name}: expected an array");
                yield break;
            }

            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object) yield return (item, $"{name}[{i}]");
                else problems.Add($"{source}: {name}[{i}]: expected an object");
                i++;
            }
        }

        public BaselineSpec? Baseline(JsonElement root)
        {
            if (!root.TryGetProperty("baseline", out var b) || b.ValueKind == JsonValueKind.Null) return new BaselineSpec(8, null);
            if (b.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{source}: baseline: expected an object such as {{\"weeks\": 8}} or {{\"day\": \"2025-10-01\"}}");
                return null;
            }

            var weeks = Integer(b, "weeks", 8, 1, 104, "baseline");
            DateOnly? day = null;
            if (Text(b, "day", "baseline") is { } text)
            {
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) day = d;
                else problems.Add($"{source}: baseline.day: '{text}' is not a date such as 2025-10-01");
            }

            return weeks is { } w ? new BaselineSpec(w, day) : null;
        }

        public ArrivalProfile? Profile(JsonElement o, string path)
        {
            var text = Text(o, "profile", path);
            if (text is null) return ArrivalProfile.Uniform;
            if (Enum.TryParse<ArrivalProfile>(text, ignoreCase: true, out var p) && Enum.IsDefined(p)) return p;
            problems.Add($"{source}: {path}.profile: '{text}' is not one of uniform, early, late");
            return null;
        }

        public int? Zone(JsonElement o, string path, bool required)
        {
            var name = Text(o, "zone", path);
            if (name is null)
            {
                if (required) problems.Add($"{source}: {path}.zone: missing; expected one of {string.Join(", ", area.Zones.Zones.Select(z => z.Name))}");
                return null;
            }

            for (var z = 0; z < area.Zones.Zones.Count; z++)
                if (area.Zones.Zones[z].Name == name) return z;
            problems.Add($"{source}: {path}.zone: '{name}' is not a zone of {area.Name} (expected one of {string.Join(", ", area.Zones.Zones.Select(z => z.Name))})");
            return null;
        }

        /// <summary>
        /// The cells of a place: a zone (the cells it covers half of or more), a point with a radius, a GeoJSON polygon, or
        /// (for closures) a street as a line of lon/lat points with a width.
        /// </summary>
        public int[]? Place(JsonElement o, string path, bool required, bool lines = false)
        {
            if (o.TryGetProperty("zone", out _))
            {
                if (Zone(o, path, required: true) is not { } z) return null;
                var half = area.Zones.Overlaps[z].Where(v => v.CellFraction >= 0.5).Select(v => v.CellId).Order().ToArray();
                return half.Length > 0 ? half : [area.Zones.Overlaps[z].MaxBy(v => v.CellFraction).CellId];
            }

            var grid = area.Grid;
            Geometry? projected = null;
            if (o.TryGetProperty("point", out var point))
            {
                if (LonLat(point, $"{path}.point") is not { } p) return null;
                var radius = Number(o, "radiusM", 50, 1, 5000, path) ?? 50;
                var (x, y) = grid.Projection.Forward(p.X, p.Y);
                projected = new GeometryFactory().CreatePoint(new Coordinate(x, y)).Buffer(radius);
            }
            else if (o.TryGetProperty("polygon", out var polygon))
            {
                Geometry? g = null;
                try
                {
                    g = polygon.Deserialize<Geometry>(GeoJson);
                }
                catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
                {
                    problems.Add($"{source}: {path}.polygon: not a GeoJSON geometry: {e.Message}");
                    return null;
                }

                if (g is not (Polygon or MultiPolygon) || !g.IsValid)
                {
                    problems.Add($"{source}: {path}.polygon: expected a valid GeoJSON Polygon or MultiPolygon in lon/lat");
                    return null;
                }

                projected = grid.Projection.Forward(g);
            }
            else if (lines && o.TryGetProperty("line", out var line))
            {
                if (line.ValueKind != JsonValueKind.Array || line.GetArrayLength() < 2)
                {
                    problems.Add($"{source}: {path}.line: expected two or more [lon, lat] points");
                    return null;
                }

                var points = new List<Coordinate>();
                var i = 0;
                foreach (var p in line.EnumerateArray())
                {
                    if (LonLat(p, $"{path}.line[{i++}]") is not { } c) return null;
                    var (x, y) = grid.Projection.Forward(c.X, c.Y);
                    points.Add(new Coordinate(x, y));
                }

                var width = Number(o, "widthM", 20, 1, 500, path) ?? 20;
                projected = new GeometryFactory().CreateLineString([.. points]).Buffer(width / 2);
            }
            else
            {
                if (required) problems.Add($"{source}: {path}: expected a place: \"zone\", \"point\" with \"radiusM\", \"polygon\"{(lines ? " or \"line\" with \"widthM\"" : "")}");
                return null;
            }

            // At the grid's resolution: the cells the place covers, or for a street the cells it runs through.
            var factory = new GeometryFactory();
            var cells = new List<int>();
            var (r0, r1, c0, c1) = grid.CellRange(projected.EnvelopeInternal);
            var best = (Cell: -1, Area: 0.0);
            var least = (lines && o.TryGetProperty("line", out _) ? 0.01 : 0.5) * grid.Spec.CellSizeM * grid.Spec.CellSizeM;
            for (var r = r0; r <= r1; r++)
            {
                for (var c = c0; c <= c1; c++)
                {
                    var cell = grid.CellAt(r, c);
                    var share = projected.Intersection(factory.ToGeometry(grid.CellEnvelope(cell))).Area;
                    if (share > best.Area) best = (cell.Id, share);
                    if (share >= least || share >= 0.5 * projected.Area) cells.Add(cell.Id);
                }
            }

            if (cells.Count == 0 && best.Cell >= 0) cells.Add(best.Cell);
            if (cells.Count == 0) problems.Add($"{source}: {path}: the place is outside the area {area.Name}");
            return cells.Count == 0 ? null : [.. cells.Order()];
        }

        private Coordinate? LonLat(JsonElement p, string path)
        {
            if (p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 2 && p[0].TryGetDouble(out var lon) && p[1].TryGetDouble(out var lat) && lon is >= -180 and <= 180 && lat is >= -90 and <= 90)
                return new Coordinate(lon, lat);
            problems.Add($"{source}: {path}: expected [lon, lat] in WGS84, got {p.GetRawText()}");
            return null;
        }
    }
}
