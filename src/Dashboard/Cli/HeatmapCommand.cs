using System.CommandLine;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Dashboard.Heatmap;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Cli;

/// <summary><c>crowdwatch heatmap</c>: render one slot of a binned series as PNG and/or GeoJSON, k-suppressed.</summary>
internal static class HeatmapCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var options = new AreaOptions();
        var series = new Option<string>("--series", "-s") { Description = "Binned series CSV written by 'crowdwatch ingest'", Required = true };
        var slot = new Option<string>("--slot") { Description = "Any instant in the slot, ISO 8601 with offset (e.g. 2026-10-01T20:00+08:00)", Required = true };
        var outs = new Option<string[]>("--out", "-o") { Description = "Output file(s): .png and/or .geojson", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("heatmap", "Render one slot as a heat map (PNG) or cells with density (GeoJSON)");
        options.AddTo(command);
        command.Options.Add(series);
        command.Options.Add(slot);
        command.Options.Add(outs);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var area = options.Resolve(parse, error);
            var slotText = parse.GetValue(slot)!;
            if (!Timestamps.TryParse(NormaliseMinutes(slotText), out var at, out var problem))
                throw new InvalidDataException($"--slot '{slotText}': {problem}");
            var start = area.NewClock().SlotStartMs(at);
            var label = SeriesCsv.SlotLabel(area, start);
            var file = parse.GetValue(series)!;
            var report = new IngestReport();
            double[] people;
            using (var stream = File.OpenRead(file))
                people = SeriesCsv.ReadChannel(stream, file, area, start, "people", new RejectLog(report, observer: r => error.WriteLine($"warning: {r}")));
            if (report.FileErrors.Count > 0) return 1;
            var cells = ViewerDensity.From(people, area.WalkableM2, area.K);
            if (cells.Count == 0) error.WriteLine($"warning: nobody in {file} for area {area.Name}, slot {label}");

            foreach (var path in parse.GetValue(outs)!)
            {
                if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                {
                    HeatmapPng.Save(path, area, label, cells);
                }
                else if (path.EndsWith(".geojson", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    using var s = File.Create(path);
                    HeatmapGeoJson.Write(s, area, label, cells);
                }
                else
                {
                    throw new InvalidDataException($"--out '{path}': expected a .png or .geojson file name");
                }

                output.WriteLine($"wrote {path}: {label}, {cells.Count(c => !c.IsLowDensity)} cells shown, {cells.Count(c => c.IsLowDensity)} {KThreshold.LowDensity}");
            }

            return 0;
        }));
        return command;
    }

    // Accepts "2026-10-01T20:00+08:00" (no seconds) as users type it.
    private static string NormaliseMinutes(string s) =>
        s.Length >= 16 && s[13] == ':' && (s.Length == 16 || s[16] is '+' or '-' or 'Z') ? s[..16] + ":00" + s[16..] : s;
}
