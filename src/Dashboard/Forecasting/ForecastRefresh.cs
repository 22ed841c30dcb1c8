using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>
/// Keeps every area's forecasts fresh: once a slot closes it reads the area's counts from the store, forecasts the
/// next slots of every cell and zone and saves the run; it refits the model every <see cref="ForecastOptions.RefitHours"/>.
/// An area with too little history yet is skipped with a log line until it has enough. With several nodes only the
/// area's owner forecasts it (<see cref="IAreaOwnership"/>): one run per slot, not one per worker.
/// </summary>
public sealed partial class ForecastRefresh(AreaCatalog catalog, ICountStore counts, IForecastStore forecasts, IOptions<ForecastOptions> options,
    TimeProvider time, ILogger<ForecastRefresh> log, IIngestGate gate, IAreaOwnership ownership, Live.FrameSignal frames) : BackgroundService
{
    private readonly Dictionary<string, AreaForecaster> _forecasters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastOrigin = new(StringComparer.Ordinal);

    /// <summary>Runs saved since start (for health and tests).</summary>
    public int Runs { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        // Every minute is often enough to catch each slot's close whatever the slot length, and cheap when nothing closed.
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            // A replay's history is still going in: fit once it is all there.
            if (!gate.HistoryLoaded) continue;
            foreach (var area in catalog.Areas.Values.Where(a => ownership.TermOf(a.Name) != 0))
            {
                try
                {
                    await RefreshAsync(area, o, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(log, e, area.Name);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task RefreshAsync(Geo.Areas.Area area, ForecastOptions o, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A cheap look at the last hours first: the whole history is read only when a slot has come in since the last run.
        var recent = await counts.ReadAsync(new CountQuery(area.Name, "people", now.AddHours(-6).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);
        if (recent.Count > 0 && _lastOrigin.TryGetValue(area.Name, out var seen) && seen == recent.Max(r => r.SlotStartMs)) return;
        // A paced replay says when a slot is whole (its people and its searches in): not before.
        if (gate.Paced && recent.Count > 0 && recent.Max(r => r.SlotStartMs) > gate.ReadyThroughMs) return;
        var panels = await AreaPanels.LoadAsync(counts, area, now.AddDays(-o.HistoryDays).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        if (panels is null || panels.Cells.Length < o.MinimumHistoryDays * panels.Cells.SlotsPerDay)
        {
            if (!_lastOrigin.ContainsKey(area.Name)) NotEnoughHistory(log, area.Name, panels is null ? 0 : panels.Cells.Length / (double)panels.Cells.SlotsPerDay, o.MinimumHistoryDays);
            _lastOrigin[area.Name] = long.MinValue;
            return;
        }

        var origin = panels.Cells.SlotStart(panels.Cells.Length - 1);
        if (_forecasters.ContainsKey(area.Name) && _lastOrigin.GetValueOrDefault(area.Name) == origin) return; // nothing new since the last run
        var calendar = new SlotCalendar(area.TimeZone, catalog.Calendars.GetValueOrDefault(area.Name) ?? Geo.Calendar.HolidayCalendar.Empty);
        if (!_forecasters.TryGetValue(area.Name, out var forecaster) || forecaster.FittedAt is not { } fitted || now - fitted >= TimeSpan.FromHours(o.RefitHours))
        {
            forecaster = new AreaForecaster(area.Name, o.Model, o.Horizons);
            // Fitting is CPU work of seconds to a minute: off the timer's thread.
            var fitting = System.Diagnostics.Stopwatch.StartNew();
            await Task.Run(() => forecaster.Fit(panels, calendar, now), cancellationToken).ConfigureAwait(false);
            _forecasters[area.Name] = forecaster;
            Fitted(log, area.Name, o.Model, panels.Cells.Count, panels.Zones.Count, panels.Cells.Length, fitting.Elapsed.TotalSeconds);
        }

        var run = await Task.Run(() => forecaster.Forecast(panels, calendar, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await forecasts.SaveRunAsync(run, cancellationToken).ConfigureAwait(false);
        // The dashboards hear of the run at once, not at the frames' next look.
        frames.Wake();
        _lastOrigin[area.Name] = origin;
        Runs++;
        Saved(log, area.Name, run.Values.Count, DateTimeOffset.FromUnixTimeMilliseconds(origin));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecasts of {Area}: {Days:0.#} days of counts in the store, {Needed} needed before the first fit")]
    private static partial void NotEnoughHistory(ILogger logger, string area, double days, int needed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecasts of {Area}: {Model} fitted on {Cells} cells and {Zones} zones, {Slots} slots, in {Seconds:0.0} s")]
    private static partial void Fitted(ILogger logger, string area, string model, int cells, int zones, int slots, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecasts of {Area}: {Values} values saved from origin {Origin:u}")]
    private static partial void Saved(ILogger logger, string area, int values, DateTimeOffset origin);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forecasts of {Area} failed; retrying at the next slot")]
    private static partial void Failed(ILogger logger, Exception exception, string area);
}
