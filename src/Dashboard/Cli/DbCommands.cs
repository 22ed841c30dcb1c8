using System.CommandLine;
using System.Globalization;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch db migrate</c> and <c>crowdwatch db export</c>: the operator's tools on the configured store
/// (<c>Store__Provider</c>, <c>Store__DataDirectory</c>, <c>ConnectionStrings__CrowdWatch</c>).
/// </summary>
internal static class DbCommands
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var db = new Command("db", "The store: migrate its schema, export counts");
        db.Subcommands.Add(Migrate(output, error, environment));
        db.Subcommands.Add(Export(output, error, environment));
        return db;
    }

    private static Command Migrate(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var command = new Command("migrate", "Create the store or bring its schema up to date (also done by every command that opens it)");
        command.SetAction(_ => CliErrors.Run(error, () =>
        {
            var cliStore = CliStore.From(environment);
            using var store = cliStore.Open();
            var version = store.Database.SchemaVersionAsync().GetAwaiter().GetResult();
            output.WriteLine($"{cliStore.Description}: schema version {version}");
            return 0;
        }));
        return command;
    }

    private static Command Export(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var area = new AreaOptions();
        var zone = new Option<string?>("--zone") { Description = "A zone of the area, by name" };
        var polygon = new Option<string?>("--polygon") { Description = "A drawn area: GeoJSON file of Polygon or MultiPolygon features (WGS84), taken together" };
        var channel = new Option<string>("--channel") { Description = "devices, people, inflow, outflow, search, or a pre-aggregated channel", DefaultValueFactory = _ => "people" };
        var from = new Option<string>("--from") { Description = "First instant, ISO 8601 with offset", Required = true };
        var to = new Option<string>("--to") { Description = "End instant (excluded), ISO 8601 with offset", Required = true };
        var outPath = new Option<string?>("--out", "-o") { Description = "CSV to write (default: standard output)" };
        var exact = new Option<bool>("--exact") { Description = "Write slots under the area's k with their numbers (for the operators' own use, never to publish)" };
        var command = new Command("export", "A zone's or a drawn area's counts per slot over a time window, as CSV: area,place,channel,slot_start,value,status");
        area.AddTo(command);
        foreach (var o in new Option[] { zone, polygon, channel, from, to, outPath, exact }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var a = area.Resolve(parse, error);
            var fromMs = Instant(parse.GetValue(from)!, "--from");
            var toMs = Instant(parse.GetValue(to)!, "--to");
            if (toMs <= fromMs) throw new InvalidDataException("--to must be after --from");
            var (place, drawn) = Place(a, parse.GetValue(zone), parse.GetValue(polygon));
            var cliStore = CliStore.From(environment);
            using var store = cliStore.Open();
            // Which store answered, so that an empty export is never mistaken for an empty evening.
            error.WriteLine($"reading {cliStore.Description}");
            var channelName = parse.GetValue(channel)!;
            IReadOnlyList<(long SlotStartMs, double Value)> points;
            if (parse.GetValue(zone) is { } z)
            {
                // A zone's totals were kept at ingest.
                points = [.. store.Counts.ReadZoneAsync(new ZoneQuery(a.Name, z, channelName, fromMs, toMs)).GetAwaiter().GetResult().Select(r => (r.SlotStartMs, r.Value))];
            }
            else
            {
                // A drawn area (or the whole grid) is measured by the store itself: PostGIS in SQL, the embedded store
                // with NetTopologySuite; the area's cells are saved first so that PostGIS has them.
                var spatial = store.Areas;
                spatial.SaveAreaAsync(a).GetAwaiter().GetResult();
                points = spatial.ReadAreaAsync(a, drawn, channelName, fromMs, toMs).GetAwaiter().GetResult();
            }

            using var file = parse.GetValue(outPath) is { } path ? new StreamWriter(path) : null;
            var writer = file ?? output;
            // A CSV leaves the host like any other output: a slot under k has no number unless the operator asks.
            var floor = parse.GetValue(exact) ? null : (Geo.Privacy.KThreshold?)a.K;
            if (floor is null) error.WriteLine("exact counts, slots under k included: for the operators' own use, never to publish");
            writer.WriteLine("area,place,channel,slot_start,value,status");
            var withheld = 0;
            foreach (var p in points)
            {
                var low = floor is { } k && k.SuppressesChannel(channelName, p.Value);
                if (low) withheld++;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{a.Name},{CsvText.Quote(place)},{CsvText.Quote(channelName)},{SeriesCsv.SlotLabel(a, p.SlotStartMs)},{(low ? "" : p.Value.ToString("0.####", CultureInfo.InvariantCulture))},{(low ? Geo.Privacy.KThreshold.LowDensity : Geo.Privacy.KThreshold.DensityEstimation)}"));
            }

            if (withheld > 0) error.WriteLine($"{withheld} of {points.Count} slots under k = {a.K.K} written as LOW_DENSITY without a value (--exact writes them)");
            if (file is not null) output.WriteLine($"{points.Count} slots of {place} written to {parse.GetValue(outPath)}");
            return 0;
        }));
        return command;
    }

    private static long Instant(string text, string option) =>
        Instants.TryParse(text, out var ms) ? ms : throw new InvalidDataException($"{option} '{text}': expected {Instants.Expected}");

    // The place asked for: a zone by name (its outline), a drawn area from GeoJSON, or neither: the whole grid.
    private static (string Name, Geometry Outline) Place(Geo.Areas.Area area, string? zone, string? polygon)
    {
        if (zone is not null && polygon is not null) throw new InvalidDataException("give --zone or --polygon, not both");
        if (zone is not null)
        {
            var match = area.Zones.Zones.FirstOrDefault(z => z.Name == zone)
                ?? throw new InvalidDataException($"area '{area.Name}' has no zone '{zone}'; its zones: {string.Join(", ", area.Zones.Zones.Select(z => z.Name))}");
            return (zone, match.Geometry);
        }

        if (polygon is not null)
        {
            var problems = new List<LayerProblem>();
            var features = GeoJsonLayer.ReadPolygons(polygon, File.ReadAllText(polygon), problems);
            if (problems.Count > 0) throw new InvalidDataException(string.Join("; ", problems));
            if (features.Count == 0) throw new InvalidDataException($"{polygon}: no Polygon or MultiPolygon feature");
            var drawn = features.Count == 1 ? features[0].Geometry : new GeometryCollection([.. features.Select(f => f.Geometry)]).Union();
            return (Path.GetFileNameWithoutExtension(polygon), drawn);
        }

        // The grid's WGS84 box, widened so that the cells along its edges (whose sides are not quite meridians and
        // parallels) lie wholly inside.
        var b = area.Grid.Bounds;
        var box = new Envelope(b.MinLon, b.MaxLon, b.MinLat, b.MaxLat);
        box.ExpandBy(0.01);
        return ("all", new GeometryFactory().ToGeometry(box));
    }
}
