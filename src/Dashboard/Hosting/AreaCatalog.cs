using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Zones;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>The areas this instance serves, loaded once from the deployment file.</summary>
public sealed class AreaCatalog
{
    /// <summary>Loads every area of the configured deployment; layer problems are logged, not fatal.</summary>
    public AreaCatalog(IOptions<CrowdWatchOptions> options, ILogger<AreaCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = DeploymentFile.Load(options.Value.Deployment);
        var areas = new Dictionary<string, Area>(StringComparer.Ordinal);
        var entries = new Dictionary<string, DeploymentFile.AreaEntry>(StringComparer.Ordinal);
        var calendars = new Dictionary<string, HolidayCalendar>(StringComparer.Ordinal);
        var histories = new Dictionary<string, Lazy<ZoneHistory?>>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
        {
            var problems = new List<LayerProblem>();
            areas.Add(entry.Settings.Name, file.BuildArea(entry.Settings.Name, problems));
            entries.Add(entry.Settings.Name, entry);
            calendars.Add(entry.Settings.Name, entry.CalendarPath is { } c && File.Exists(c)
                ? CalendarReader.Read(File.ReadAllText(c), c, problems)
                : HolidayCalendar.Empty);
            foreach (var p in problems) LogLayerProblem(logger, p.ToString());
            var area = areas[entry.Settings.Name];
            // Read on first use: eight weeks take a second or two to load, and most requests never need them.
            histories.Add(entry.Settings.Name, new Lazy<ZoneHistory?>(() => entry.HistoryPath is { } h && File.Exists(h) ? ZoneHistory.Load(area, h) : null));
        }

        _areas = new System.Collections.Concurrent.ConcurrentDictionary<string, Area>(areas, StringComparer.Ordinal);
        Histories = histories;
        Entries = entries;
        Calendars = calendars;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Area> _areas;

    /// <summary>Areas by name.</summary>
    public IReadOnlyDictionary<string, Area> Areas => _areas;

    /// <summary>Serves <paramref name="area"/> in place of the area of that name (after an admin's edit of its zones).</summary>
    public void Replace(Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        if (!_areas.ContainsKey(area.Name)) throw new KeyNotFoundException($"no area named '{area.Name}'");
        _areas[area.Name] = area;
        AreaReplaced?.Invoke(area);
    }

    /// <summary>Raised after <see cref="Replace"/>: parts that keep per-zone settings take the new ones.</summary>
    public event Action<Area>? AreaReplaced;

    /// <summary>Each area's deployment entry (its layer files), by area name.</summary>
    public IReadOnlyDictionary<string, DeploymentFile.AreaEntry> Entries { get; }

    /// <summary>Each area's per-zone history, when its deployment names one (loaded on first use), by area name.</summary>
    public IReadOnlyDictionary<string, Lazy<ZoneHistory?>> Histories { get; }

    /// <summary>Each area's holiday and event calendar (empty when the deployment names none), by area name.</summary>
    public IReadOnlyDictionary<string, HolidayCalendar> Calendars { get; }

    private static void LogLayerProblem(ILogger logger, string problem) => LayerProblemMessage(logger, problem, null);

    private static readonly Action<ILogger, string, Exception?> LayerProblemMessage =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(1, "LayerProblem"), "Layer feature skipped: {Problem}");
}
