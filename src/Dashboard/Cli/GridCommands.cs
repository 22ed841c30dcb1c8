using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CrowdWatch.Dashboard.Heatmap;
using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Dashboard.Cli;

/// <summary><c>crowdwatch grid describe</c> and <c>crowdwatch grid locate</c>: the user's tools to check a grid.</summary>
internal static class GridCommands
{
    public static Command Create(TextReader input, TextWriter output, TextWriter error)
    {
        var grid = new Command("grid", "Inspect a grid: describe it, or locate points on it");
        grid.Subcommands.Add(Describe(output, error));
        grid.Subcommands.Add(Locate(input, output, error));
        grid.Subcommands.Add(Cells(output, error));
        return grid;
    }

    private static Command Describe(TextWriter output, TextWriter error)
    {
        var options = new AreaOptions();
        var json = new Option<bool>("--json") { Description = "Write JSON instead of text" };
        var command = new Command("describe", "Print a grid's extent, CRS, cell size and cell count");
        options.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var area = options.Resolve(parse, error);
            var d = Description.Of(area);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(d, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            var ci = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(ci, $"area        {d.Area}"));
            output.WriteLine(string.Create(ci, $"crs         EPSG:{d.Epsg} {d.CrsName}"));
            output.WriteLine(string.Create(ci, $"proj        {d.Proj}"));
            output.WriteLine(string.Create(ci, $"cell size   {d.CellSizeM} m"));
            output.WriteLine(string.Create(ci, $"cells       {d.Rows} rows x {d.Cols} cols = {d.CellCount}"));
            output.WriteLine(string.Create(ci, $"extent      x {d.MinX:0}..{d.MaxX:0}  y {d.MinY:0}..{d.MaxY:0}  ({d.WidthKm:0.0} km x {d.HeightKm:0.0} km)"));
            output.WriteLine(string.Create(ci, $"wgs84       lon {d.MinLon:0.000000}..{d.MaxLon:0.000000}  lat {d.MinLat:0.000000}..{d.MaxLat:0.000000}"));
            output.WriteLine(string.Create(ci, $"slots       {d.SlotMinutes} min in {d.TimeZone}"));
            output.WriteLine(string.Create(ci, $"walkable    {d.WalkableKm2:0.000} km² of {d.GroundKm2:0.000} km² ground"));
            output.WriteLine(string.Create(ci, $"zones       {d.Zones}"));
            output.WriteLine(d.FastDegree is null
                ? "fast path   none: the area is too large for a fitted projection, points are projected exactly"
                : string.Create(ci, $"fast path   polynomial of degree {d.FastDegree} in lon and lat, max error vs exact {d.FastMaxErrorMm:0.####} mm"));
            return 0;
        }));
        return command;
    }

    private static Command Locate(TextReader input, TextWriter output, TextWriter error)
    {
        var options = new AreaOptions();
        var command = new Command("locate", "Read 'lon lat' lines on stdin; write 'x y row col cell' lines (- for outside the grid)");
        options.AddTo(command);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var area = options.Resolve(parse, error);
            var ci = CultureInfo.InvariantCulture;
            var bad = 0;
            var n = 0L;
            while (input.ReadLine() is { } line)
            {
                n++;
                if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#')) continue;
                var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || !double.TryParse(parts[0], NumberStyles.Float, ci, out var lon) || !double.TryParse(parts[1], NumberStyles.Float, ci, out var lat)
                    || lon is < -180 or > 180 || lat is < -90 or > 90)
                {
                    error.WriteLine($"line {n}: expected 'lon lat' in decimal degrees (lon -180..180, lat -90..90)");
                    output.WriteLine("- - - - -"); // keeps output lines aligned with input lines
                    bad++;
                    continue;
                }

                var (x, y) = area.Grid.Projection.Forward(lon, lat);
                var at = area.Grid.Locate(lon, lat);
                output.WriteLine(at is { } c
                    ? string.Create(ci, $"{x:0.000} {y:0.000} {c.Row} {c.Col} {c.CellId}")
                    : string.Create(ci, $"{x:0.000} {y:0.000} - - -"));
            }

            return bad == 0 ? 0 : 1;
        }));
        return command;
    }

    private static Command Cells(TextWriter output, TextWriter error)
    {
        var options = new AreaOptions();
        var outPath = new Option<string>("--out", "-o") { Description = "GeoJSON file to write", Required = true };
        var command = new Command("cells", "Write every cell as a WGS84 polygon (GeoJSON) with its id, row, col, ground and walkable area");
        options.AddTo(command);
        command.Options.Add(outPath);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var area = options.Resolve(parse, error);
            var path = parse.GetValue(outPath)!;
            using (var stream = File.Create(path)) GridGeoJson.Write(stream, area);
            output.WriteLine($"wrote {path}: {area.Grid.Spec.CellCount} cells of area {area.Name}");
            return 0;
        }));
        return command;
    }

    internal sealed record Description(
        string Area, int Epsg, string CrsName, string Proj, double CellSizeM, int Rows, int Cols, int CellCount,
        double MinX, double MinY, double MaxX, double MaxY, double WidthKm, double HeightKm,
        double MinLon, double MinLat, double MaxLon, double MaxLat, int SlotMinutes, string TimeZone,
        double WalkableKm2, double GroundKm2, int Zones, int? FastDegree, double? FastMaxErrorMm)
    {
        public static Description Of(Area area)
        {
            var s = area.Grid.Spec;
            var b = area.Grid.Bounds;
            var ground = 0.0;
            for (var id = 0; id < s.CellCount; id++) ground += area.Grid.CellAreaM2(area.Grid.CellAt(id));
            return new Description(area.Name, s.Epsg, area.Grid.Projection.Crs.Name, area.Grid.Projection.Crs.ProjString, s.CellSizeM,
                s.Rows, s.Cols, s.CellCount, s.OriginX, s.OriginY, s.MaxX, s.MaxY, (s.MaxX - s.OriginX) / 1000, (s.MaxY - s.OriginY) / 1000,
                b.MinLon, b.MinLat, b.MaxLon, b.MaxLat, area.Settings.SlotMinutes, area.Settings.TimeZone,
                area.WalkableM2.Sum() / 1e6, ground / 1e6, area.Zones.Zones.Count,
                area.Grid.FastProjection?.Degree, area.Grid.FastProjection is { } f ? f.MaxError * 1000 : null);
        }
    }
}
