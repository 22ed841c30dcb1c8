using System.Collections.Concurrent;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Dashboard.Scenarios;

/// <summary>
/// Runs planners' scenarios in the host: each area's walk network built once (again when an admin edits its zones),
/// the history read from the store or the deployment's history file, whichever reaches further back before the
/// window; one scenario batch at a time, since a run with its search for admission limits takes a second or more of CPU.
/// </summary>
internal sealed class ScenarioService
{
    private readonly AreaCatalog _catalog;
    private readonly ICountStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Alerts.Scenarios.WalkNetwork> _networks = new();
    private readonly ConcurrentDictionary<string, Lazy<AreaPanels?>> _files = new();
    private readonly SemaphoreSlim _one = new(1, 1);

    public ScenarioService(AreaCatalog catalog, ICountStore store, TimeProvider time)
    {
        _catalog = catalog;
        _store = store;
        _time = time;
    }

    /// <summary>Reads and runs the scenarios (JSON texts) against <paramref name="area"/>; null results carry their problems.</summary>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(Area area, IReadOnlyList<ScenarioFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(files);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Built again when an admin's zone edit has replaced the area.
            if (!_networks.TryGetValue(area.Name, out var network) || !ReferenceEquals(network.Area, area))
                _networks[area.Name] = network = ScenarioPlanner.Network(area);

            var calendar = new SlotCalendar(area.TimeZone, _catalog.Calendars.GetValueOrDefault(area.Name) ?? Geo.Calendar.HolidayCalendar.Empty);
            var from = files.Min(f => f.FromMs);
            var weeks = files.Max(f => f.Baseline.Weeks);
            var panels = await HistoryAsync(area, from, weeks, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"no history of area '{area.Name}' before {Instants.Local(from, area.TimeZone)}: the usual crowd cannot be forecast");
            return await Task.Run(() => files.Select(f => ScenarioPlanner.Run(network, panels, calendar, f)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    // The store's counts over the weeks before the window (or before now, for a window ahead), or the deployment's
    // history file, whichever comes closer to the window: the most recent weeks say most about it.
    private async Task<AreaPanels?> HistoryAsync(Area area, long fromMs, int weeks, CancellationToken cancellationToken)
    {
        var to = Math.Min(fromMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        var stored = await AreaPanels.LoadAsync(_store, area, to - (weeks * 7 * 86_400_000L), to, cancellationToken).ConfigureAwait(false);
        var file = _files.GetOrAdd(area.Name, name => new Lazy<AreaPanels?>(() =>
            _catalog.Entries.GetValueOrDefault(name)?.HistoryPath is { } path && File.Exists(path) ? AreaPanels.LoadWide(area, path, new RejectLog(new IngestReport())) : null)).Value;
        long Reach(AreaPanels? p) => p is null || p.Cells.StartMs >= fromMs ? long.MinValue : Math.Min(fromMs, p.Cells.SlotStart(p.Cells.Length));
        return Reach(file) > Reach(stored) ? file : stored;
    }
}
