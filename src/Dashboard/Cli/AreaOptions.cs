using System.CommandLine;
using System.Globalization;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// The options every verb uses to name an area: a deployment file and area name, or an ad-hoc grid given by
/// <c>--bounds</c> or <c>--centre</c>/<c>--extent</c>.
/// </summary>
internal sealed class AreaOptions
{
    public Option<string> Deployment { get; } = new("--deployment", "-d")
    {
        Description = "Deployment file naming the areas (default: $CROWDWATCH_DEPLOYMENT or the sample city, " + SampleDeployment.RelativePath + ")",
    };

    public Option<string?> Area { get; } = new("--area", "-a") { Description = "Area name in the deployment (default: the first)" };

    public Option<string?> Bounds { get; } = new("--bounds") { Description = "Ad-hoc grid: minLon,minLat,maxLon,maxLat (WGS84)" };

    public Option<string?> Centre { get; } = new("--centre") { Description = "Ad-hoc grid: centre lon,lat (WGS84), with --extent" };

    public Option<string?> Extent { get; } = new("--extent") { Description = "Ad-hoc grid: width,height in metres around --centre" };

    public Option<double?> CellSize { get; } = new("--cell-size") { Description = "Ad-hoc grid: cell size in metres (default 100)" };

    public Option<int?> Epsg { get; } = new("--epsg") { Description = "Ad-hoc grid: EPSG code of the projected CRS (default: UTM zone of the centre)" };

    public Option<string?> TimeZone { get; } = new("--time-zone") { Description = "IANA time zone of the slots: an ad-hoc grid's (default Asia/Shanghai); with --counts, the zone of timestamps without a UTC offset and of the calendar (default UTC, and local timestamps refused)" };

    public Option<int?> SlotMinutes { get; } = new("--slot-minutes") { Description = "Ad-hoc grid: slot length, 5/10/15/30/60 (default 15)" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Deployment, Area, Bounds, Centre, Extent, CellSize, Epsg, TimeZone, SlotMinutes }) command.Options.Add(o);
    }

    /// <summary>
    /// The area's calendar: the deployment's holidays and events where <paramref name="entry"/> names a calendar file
    /// (problems in it printed to <paramref name="error"/>), none for an ad-hoc grid.
    /// </summary>
    public static SlotCalendar Calendar(Area area, DeploymentFile.AreaEntry? entry, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(error);
        var holidays = HolidayCalendar.Empty;
        if (entry?.CalendarPath is { } path && File.Exists(path))
        {
            var problems = new List<LayerProblem>();
            holidays = CalendarReader.Read(File.ReadAllText(path), path, problems);
            foreach (var p in problems) error.WriteLine($"warning: {p}");
        }

        return new SlotCalendar(area.TimeZone, holidays);
    }

    /// <summary>Resolves the area; layer problems are printed to <paramref name="error"/> and the rest loads.</summary>
    public Area Resolve(ParseResult parse, TextWriter error) => Resolve(parse, error, out _);

    /// <summary>As <see cref="Resolve(ParseResult, TextWriter)"/>; <paramref name="entry"/> is the deployment's entry, null for an ad-hoc grid.</summary>
    public Area Resolve(ParseResult parse, TextWriter error, out DeploymentFile.AreaEntry? entry)
    {
        entry = null;
        var bounds = parse.GetValue(Bounds);
        var centre = parse.GetValue(Centre);
        if (bounds is not null || centre is not null)
        {
            GridDefinition grid;
            if (bounds is not null)
            {
                var b = Numbers(bounds, 4, "--bounds", "minLon,minLat,maxLon,maxLat");
                grid = new GridDefinition { Bounds = new GeoBounds(b[0], b[1], b[2], b[3]) };
            }
            else
            {
                var c = Numbers(centre!, 2, "--centre", "lon,lat");
                var e = Numbers(parse.GetValue(Extent) ?? throw new InvalidDataException("--centre needs --extent width,height in metres"), 2, "--extent", "width,height");
                grid = new GridDefinition { Centre = (c[0], c[1]), WidthM = e[0], HeightM = e[1] };
            }

            grid = grid with { CellSizeM = parse.GetValue(CellSize) ?? 100, Epsg = parse.GetValue(Epsg) };
            var settings = new AreaSettings
            {
                Name = parse.GetValue(Area) ?? "adhoc",
                Grid = grid,
                TimeZone = parse.GetValue(TimeZone) ?? "Asia/Shanghai",
                SlotMinutes = parse.GetValue(SlotMinutes) ?? 15,
            };
            try
            {
                return new Area(settings, [], []);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }

        var path = parse.GetValue(Deployment) ?? Environment.GetEnvironmentVariable("CROWDWATCH_DEPLOYMENT") ?? SampleDeployment.Locate();
        var file = DeploymentFile.Load(path);
        var problems = new List<LayerProblem>();
        var area = file.BuildArea(parse.GetValue(Area), problems);
        foreach (var p in problems) error.WriteLine($"warning: {p}");
        entry = file.Entry(area.Name);
        return area;
    }

    private static double[] Numbers(string text, int count, string option, string expected)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        if (parts.Length != count || parts.Where((p, i) => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any())
            throw new InvalidDataException($"{option} '{text}': expected {expected}");
        return values;
    }
}
