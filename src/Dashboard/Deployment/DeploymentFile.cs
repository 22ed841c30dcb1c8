using System.Text.Json;
using System.Text.Json.Serialization;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Deployment;

/// <summary>
/// A deployment file: the named areas CrowdWatch watches, each with its grid and the layers that go with it (zones,
/// walkable surfaces, POI gazetteer), given as paths relative to the file. See README, "Deployment file".
/// </summary>
public sealed class DeploymentFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private DeploymentFile(string path, IReadOnlyList<AreaEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The areas as written.</summary>
    public IReadOnlyList<AreaEntry> Entries { get; }

    /// <summary>One area as written in the file.</summary>
    public sealed record AreaEntry(AreaSettings Settings, string? ZonesPath, string? WalkablePath, string? PoiPath, string? BaseMapPath = null, string? CalendarPath = null, string? HistoryPath = null);

    /// <summary>Reads a deployment file; throws <see cref="InvalidDataException"/> naming the file and field at fault.</summary>
    public static DeploymentFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(File.ReadAllText(full), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{full}: line {e.LineNumber + 1}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{full}: cannot be read: {e.Message}", e);
        }

        if (dto?.Areas is not { Count: > 0 }) throw new InvalidDataException($"{full}: expected an 'areas' array with at least one area");
        var dir = System.IO.Path.GetDirectoryName(full)!;
        var entries = new List<AreaEntry>();
        for (var i = 0; i < dto.Areas.Count; i++)
        {
            var a = dto.Areas[i];
            var where = $"{full}: areas[{i}]";
            if (string.IsNullOrWhiteSpace(a.Name)) throw new InvalidDataException($"{where}: 'name' is required");
            GridDefinition grid;
            if (a.Bounds is { } b)
            {
                if (b.Length != 4) throw new InvalidDataException($"{where}: 'bounds' must be [minLon, minLat, maxLon, maxLat]");
                grid = new GridDefinition { Bounds = new GeoBounds(b[0], b[1], b[2], b[3]) };
            }
            else if (a.Centre is { } c)
            {
                if (c.Length != 2) throw new InvalidDataException($"{where}: 'centre' must be [lon, lat]");
                grid = new GridDefinition { Centre = (c[0], c[1]), WidthM = a.WidthM ?? 0, HeightM = a.HeightM ?? 0 };
            }
            else
            {
                throw new InvalidDataException($"{where}: give 'bounds' [minLon, minLat, maxLon, maxLat] or 'centre' [lon, lat] with 'widthM' and 'heightM'");
            }

            grid = grid with { CellSizeM = a.CellSizeM ?? 100, Epsg = a.Epsg };
            var settings = new AreaSettings
            {
                Name = a.Name,
                Grid = grid,
                TimeZone = a.TimeZone ?? "Asia/Shanghai",
                SlotMinutes = a.SlotMinutes ?? 15,
                PanelFactor = a.PanelFactor ?? 1.0,
                K = a.K ?? 10,
                WalkableFraction = a.WalkableFraction ?? WalkableArea.DefaultFraction,
            };
            var problems = settings.Validate();
            if (problems.Count > 0) throw new InvalidDataException($"{where}: {string.Join("; ", problems)}");
            if (entries.Any(e => e.Settings.Name == a.Name)) throw new InvalidDataException($"{where}: area name '{a.Name}' is used twice");
            string? Resolve(string? p) => p is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, p));
            entries.Add(new AreaEntry(settings, Resolve(a.Zones), Resolve(a.WalkableLayer), Resolve(a.Poi), Resolve(a.BaseMap), Resolve(a.Calendar), Resolve(a.History)));
        }

        return new DeploymentFile(full, entries);
    }

    /// <summary>
    /// Builds an area with its layers. Bad features in the layers are skipped and listed in <paramref name="problems"/>;
    /// a bad grid throws <see cref="InvalidDataException"/>.
    /// </summary>
    public Area BuildArea(string? name, List<LayerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var entry = name is null ? Entries[0] : Entries.FirstOrDefault(e => e.Settings.Name == name)
            ?? throw new InvalidDataException($"{Path}: no area named '{name}'; areas: {string.Join(", ", Entries.Select(e => e.Settings.Name))}");
        var zones = entry.ZonesPath is null ? [] : ZoneReader.ReadFile(entry.ZonesPath, problems);
        var walkable = new List<NetTopologySuite.Geometries.Geometry>();
        if (entry.WalkablePath is not null)
        {
            string json;
            try
            {
                json = File.ReadAllText(entry.WalkablePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new LayerProblem(entry.WalkablePath, "(file)", $"cannot be read: {e.Message}"));
                json = "";
            }

            if (json.Length > 0) walkable.AddRange(GeoJsonLayer.ReadPolygons(entry.WalkablePath, json, problems).Select(f => f.Geometry));
        }

        try
        {
            return new Area(entry.Settings, walkable, zones);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{Path}: area '{entry.Settings.Name}': {e.Message}", e);
        }
    }

    /// <summary>The entry of an area (the first when <paramref name="name"/> is null).</summary>
    public AreaEntry Entry(string? name) => name is null ? Entries[0] : Entries.First(e => e.Settings.Name == name);

    private sealed class Dto
    {
        public List<AreaDto>? Areas { get; set; }
    }

    private sealed class AreaDto
    {
        public string? Name { get; set; }
        public double[]? Bounds { get; set; }
        public double[]? Centre { get; set; }
        public double? WidthM { get; set; }
        public double? HeightM { get; set; }
        public double? CellSizeM { get; set; }
        public int? Epsg { get; set; }
        public string? TimeZone { get; set; }
        public int? SlotMinutes { get; set; }
        public double? PanelFactor { get; set; }
        public int? K { get; set; }
        public double? WalkableFraction { get; set; }
        public string? Zones { get; set; }
        public string? WalkableLayer { get; set; }
        public string? Poi { get; set; }

        public string? BaseMap { get; set; }

        public string? Calendar { get; set; }

        public string? History { get; set; }
    }
}
