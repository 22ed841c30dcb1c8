using CrowdWatch.Forecast.Intervals;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Engine;

/// <summary>
/// A model with calibrated uncertainty: it holds out the last days of the training to learn how wrong the model is
/// at each horizon, then gives every forecast 80/90/95% intervals and the probabilities of reaching danger levels.
/// As time goes on it compares its own past forecasts with what happened and keeps calibrating on the recent errors,
/// so a holiday that proves harder to forecast than ordinary days widens the intervals within hours.
/// </summary>
public sealed class ForecastEngine
{
    private readonly ForecastEngineOptions _options;
    private readonly SortedDictionary<int, (double[][] Mean, int Observed)> _pending = [];
    private ConformalCalibration _calibration;

    /// <summary>An engine around <paramref name="model"/>.</summary>
    public ForecastEngine(IForecastModel model, ForecastEngineOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new ForecastEngineOptions();
        if (_options.Horizons <= 0) throw new ArgumentOutOfRangeException(nameof(options), _options.Horizons, "Horizons: at least one slot ahead");
        if (!(_options.UnprecedentedWidening >= 1)) throw new ArgumentOutOfRangeException(nameof(options), _options.UnprecedentedWidening, "UnprecedentedWidening: 1 or more");
        if (_options.CalibrationDays <= 0) throw new ArgumentOutOfRangeException(nameof(options), _options.CalibrationDays, "CalibrationDays: at least one day");
        _calibration = new ConformalCalibration(_options.Horizons, 1);
    }

    /// <summary>The model.</summary>
    public IForecastModel Model { get; }

    /// <summary>Horizons forecast.</summary>
    public int Horizons => _options.Horizons;

    /// <summary>The calibration of the intervals as it stands.</summary>
    public ConformalCalibration Calibration => _calibration;

    /// <summary>
    /// Fits the model on <paramref name="training"/> without its last <see cref="ForecastEngineOptions.CalibrationDays"/>,
    /// forecasts those days from rolling origins to learn the errors, then (by default) fits again on all of it.
    /// </summary>
    public void Fit(SlotPanel training, SlotCalendar calendar, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(calendar);
        var window = _options.CalibrationDays * training.SlotsPerDay;
        _calibration = new ConformalCalibration(_options.Horizons, window);
        _pending.Clear();
        var cut = training.Length - window;
        if (cut < 2 * training.SlotsPerDay) throw new ArgumentException($"the training has {training.Length} slots: too short to hold out {_options.CalibrationDays} days for calibration", nameof(training));
        FitModel(training.Take(cut), calendar);
        progress?.Report($"{Model.Name}: fitted on {cut} slots, calibrating on the last {window}");
        var step = Math.Max(Math.Max(1, _options.CalibrationStep), (int)Math.Ceiling((double)training.Count * window / Math.Max(1, _options.CalibrationBudget)));
        for (var origin = cut; origin < training.Length; origin += step)
        {
            Remember(origin, Model.Forecast(training.Take(origin), _options.Horizons, calendar));
            Observe(training.Take(Math.Min(training.Length, origin + step)));
        }

        Observe(training);
        _pending.Clear();
        if (_options.Refit)
        {
            FitModel(training, calendar);
            progress?.Report($"{Model.Name}: fitted again on all {training.Length} slots");
        }
    }

    /// <summary>
    /// Forecasts the next slots of every place of <paramref name="history"/>, with intervals and, where
    /// <paramref name="levels"/> gives a place's danger levels (counts, lowest first), the probability of reaching each.
    /// Forecasts made earlier are first compared with what <paramref name="history"/> now shows of their targets.
    /// </summary>
    public PanelForecast Forecast(SlotPanel history, SlotCalendar calendar, IReadOnlyList<double[]>? levels = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        if (levels is not null && levels.Count != history.Count) throw new ArgumentException("one list of levels per place", nameof(levels));
        Observe(history);
        var origin = history.Length;
        var mean = Model.Forecast(history, _options.Horizons, calendar);
        var places = history.Count;
        var horizons = _options.Horizons;
        // Events the history never saw: added to the forecast, and the interval reaches from the crowd without them
        // to above the crowd with them, at the widening of a day unlike any seen.
        var uplift = EventUplift.For(history, calendar, mean, horizons);
        var without = mean;
        if (uplift is not null) mean = [.. mean.Select((m, s) => m.Select((v, h) => v + uplift[s][h]).ToArray())];
        Remember(origin, mean);
        var widen = Widening(history, calendar);
        double[][] New() => [.. Enumerable.Range(0, places).Select(_ => new double[horizons])];
        var (l80, h80, l90, h90, l95, h95) = (New(), New(), New(), New(), New(), New());
        var exceed = new double[places][][];
        // The horizons within the first hour, where the last count's floor holds.
        var floored = Math.Max(1, 60 / history.SlotMinutes);
        Parallel.For(0, places, s =>
        {
            var lv = levels?[s] ?? [];
            exceed[s] = new double[horizons][];
            // Within the first hour the errors' scale never falls below that of half the last count: a forecast of
            // nobody an hour after thousands passed must not come with an interval of nobody. Further ahead the last
            // count says little (tonight's crowd is gone by morning) and the floor only over-covered.
            var lastCount = origin > 0 ? history.Values(s)[origin - 1] : double.NaN;
            var last = double.IsNaN(lastCount) ? 0 : lastCount / 2;
            for (var h = 0; h < horizons; h++)
            {
                var m = mean[s][h];
                var recent = h < floored ? last : 0;
                var evented = uplift is not null && uplift[s][h] > 0;
                var w = evented ? Math.Max(widen[h], _options.UnprecedentedWidening) : widen[h];
                (l80[s][h], h80[s][h]) = _calibration.Interval(h + 1, m, 0.8, w, recent);
                (l90[s][h], h90[s][h]) = _calibration.Interval(h + 1, m, 0.9, w, recent);
                (l95[s][h], h95[s][h]) = _calibration.Interval(h + 1, m, 0.95, w, recent);
                if (evented)
                {
                    var b = without[s][h];
                    l80[s][h] = Math.Min(l80[s][h], _calibration.Interval(h + 1, b, 0.8, w, recent).Low);
                    l90[s][h] = Math.Min(l90[s][h], _calibration.Interval(h + 1, b, 0.9, w, recent).Low);
                    l95[s][h] = Math.Min(l95[s][h], _calibration.Interval(h + 1, b, 0.95, w, recent).Low);
                }

                var p = exceed[s][h] = new double[lv.Length];
                for (var k = 0; k < lv.Length; k++) p[k] = _calibration.Exceedance(h + 1, m, lv[k], w);
            }
        });

        return new PanelForecast(origin, mean, l80, h80, l90, h90, l95, h95, exceed);
    }

    /// <summary>Compares the forecasts remembered with the slots of <paramref name="history"/> that have since happened.</summary>
    public void Observe(SlotPanel history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var n = history.Length;
        foreach (var origin in _pending.Keys.ToList())
        {
            var (mean, observed) = _pending[origin];
            var upTo = Math.Min(_options.Horizons, n - origin);
            for (var h = observed + 1; h <= upTo; h++)
            {
                var target = origin + h - 1;
                for (var s = 0; s < mean.Length && s < history.Count; s++) _calibration.Observe(h, target, history.Values(s)[target], mean[s][h - 1]);
            }

            if (upTo >= _options.Horizons) _pending.Remove(origin);
            else if (upTo > observed) _pending[origin] = (mean, upTo);
        }

        _calibration.Forget(n);
    }

    /// <summary>
    /// Per horizon, the factor on the error scale: <see cref="ForecastEngineOptions.UnprecedentedWidening"/> for
    /// targets on a holiday's first, middle or last day when <paramref name="history"/> holds no day of that kind
    /// (travel days at the ends of a holiday differ from its middle); its square root when the history holds that kind
    /// but no slot of it in the hour up to the target's time of day (a holiday's morning says little about its
    /// evening); 1 otherwise.
    /// </summary>
    public double[] Widening(SlotPanel history, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        var widen = new double[_options.Horizons];
        Array.Fill(widen, 1.0);
        if (_options.UnprecedentedWidening == 1) return widen;
        var perDay = history.SlotsPerDay;
        var origin = history.Length;
        var times = calendar.Times(history.StartMs, history.SlotMinutes, origin + _options.Horizons + perDay);
        // Per kind of day and slot of day (a day of 23 or 25 hours has fewer or more slots: up to two days' worth).
        var seen = new bool[SlotTimes.HolidayDayKinds, 2 * perDay];
        var seenKind = new bool[SlotTimes.HolidayDayKinds];
        var hour = Math.Max(1, 60 / history.SlotMinutes);
        for (var i = 0; i < origin; i++)
        {
            var kind = times.HolidayDay(i, perDay);
            seen[kind, Math.Min(times.SlotOfDay[i], (2 * perDay) - 1)] = seenKind[kind] = true;
        }

        // A kind of day seen, but not at this time of day (a holiday's morning, asked about its evening): the errors
        // already hold some of that kind, so half the widening (in the exponent: its square root).
        var partial = Math.Sqrt(_options.UnprecedentedWidening);
        for (var h = 0; h < widen.Length; h++)
        {
            var t = origin + h;
            var kind = times.HolidayDay(t, perDay);
            if (kind == 0 || SeenWithinHour(kind, times.SlotOfDay[t])) continue;
            widen[h] = seenKind[kind] ? partial : _options.UnprecedentedWidening;
        }

        return widen;

        // Whether the history holds a slot of that kind of day in the hour up to that time of day.
        bool SeenWithinHour(int kind, int slotOfDay)
        {
            for (var k = Math.Max(0, slotOfDay - hour + 1); k <= slotOfDay; k++)
                if (seen[kind, Math.Min(k, (2 * perDay) - 1)]) return true;
            return false;
        }
    }

    private void Remember(int origin, double[][] mean) => _pending[origin] = (mean, 0);

    private void FitModel(SlotPanel training, SlotCalendar calendar) => Model.Fit(training, calendar);
}
