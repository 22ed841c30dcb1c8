using CrowdWatch.Forecast.Engine;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Forecast.Storage;

namespace CrowdWatch.Alerts.Outlooks;

/// <summary>
/// Forecasts of one area, cells and zones, with calibrated intervals and the probability of reaching each warning
/// level, as runs for the store: one engine for the cells and one for the zones (their counts differ in scale and
/// in how they move), fitted together.
/// </summary>
public sealed class AreaForecaster(string area, string model, int horizons)
{
    private ForecastEngine? _cells;
    private ForecastEngine? _zones;

    /// <summary>The model's name.</summary>
    public string Model => model;

    /// <summary>When the engines were last fitted (null before the first fit).</summary>
    public DateTimeOffset? FittedAt { get; private set; }

    /// <summary>Slots of history the engines were last fitted on.</summary>
    public int FittedSlots { get; private set; }

    /// <summary>Fits both engines on the panels as they stand.</summary>
    public void Fit(AreaPanels panels, SlotCalendar calendar, DateTimeOffset now, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var options = new ForecastEngineOptions { Horizons = horizons };
        var cells = new ForecastEngine(ModelCatalog.Create(model, horizons, progress), options);
        cells.Fit(panels.Cells, calendar, progress);
        ForecastEngine? zones = null;
        if (panels.Zones.Count > 0)
        {
            zones = new ForecastEngine(ModelCatalog.Create(model, horizons, progress), options);
            zones.Fit(panels.Zones, calendar, progress);
        }

        (_cells, _zones, FittedAt, FittedSlots) = (cells, zones, now, panels.Cells.Length);
    }

    /// <summary>The run from the end of <paramref name="panels"/>: the next slots of every cell and zone.</summary>
    public ForecastRun Forecast(AreaPanels panels, SlotCalendar calendar, DateTimeOffset issued)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (_cells is null) throw new InvalidOperationException("fit before forecasting");
        var values = new List<ForecastValue>();
        Add(values, panels.Cells, _cells.Forecast(panels.Cells, calendar, panels.CellLevels), isZone: false);
        if (_zones is not null) Add(values, panels.Zones, _zones.Forecast(panels.Zones, calendar, panels.ZoneLevels), isZone: true);
        var origin = panels.Cells.SlotStart(panels.Cells.Length - 1);
        return new ForecastRun(Guid.NewGuid(), area, issued.ToUnixTimeMilliseconds(), origin, $"{model} h={horizons}", values);
    }

    private static void Add(List<ForecastValue> values, SlotPanel panel, PanelForecast f, bool isZone)
    {
        // An interval not known (too few errors yet) is stored as the point itself rather than as a number that is not one.
        static double Or(double v, double fallback) => double.IsNaN(v) ? fallback : v;
        for (var s = 0; s < panel.Count; s++)
        {
            for (var h = 0; h < f.Horizons; h++)
            {
                var m = f.Mean[s][h];
                if (double.IsNaN(m)) continue;
                values.Add(new ForecastValue(panel.Keys[s], isZone, h + 1, panel.SlotStart(f.Origin + h), m,
                    Or(f.Low80[s][h], m), Or(f.High80[s][h], m), Or(f.Low95[s][h], m), Or(f.High95[s][h], m),
                    [.. f.Exceedance[s][h].Select(p => Or(p, 0))]));
            }
        }
    }
}
