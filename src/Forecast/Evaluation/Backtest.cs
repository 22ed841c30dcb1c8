using System.Globalization;
using System.Text;
using CrowdWatch.Forecast.Engine;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// Rolling-origin evaluation: each model is fitted (and its intervals calibrated) on the slots before the test window
/// only, then, from each origin in the window, forecasts the next slots from the history up to that origin; every
/// forecast that lands inside the panel is scored against what happened. The intervals keep calibrating on the errors
/// of earlier origins as the window goes on, as they would live.
/// </summary>
public static class Backtest
{
    /// <summary>Scores every model at every horizon from 1 to <see cref="BacktestOptions.Horizons"/>.</summary>
    public static BacktestResult Run(IReadOnlyList<IForecastModel> models, SlotPanel panel, SlotCalendar calendar, BacktestOptions options,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(options);
        var length = panel.Length;
        var horizons = options.Horizons;
        if (panel.Count == 0) throw new ArgumentException("no series to backtest", nameof(panel));
        if (options.TestStart <= 0 || options.TestStart >= length) throw new ArgumentOutOfRangeException(nameof(options), options.TestStart, $"the test window must start inside the series (1..{length - 1})");
        if (horizons <= 0) throw new ArgumentOutOfRangeException(nameof(options), horizons, "at least one slot ahead");
        if (options.OriginStep <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.OriginStep, "OriginStep: at least 1");
        if (options.Levels is { } lv && lv.Count != panel.Count) throw new ArgumentException("one list of levels per place", nameof(options));

        // The models learn from the training slots alone: nothing of the test window can leak into them.
        var training = panel.Take(options.TestStart);
        var scores = new List<BacktestScore>();
        var channels = panel.Channels;
        var channelNames = channels?.Names ?? [];
        var timings = new Dictionary<string, (TimeSpan Fit, TimeSpan Total)>();
        var totals = new Dictionary<string, PanelTotals>();
        var byChannel = channelNames.ToDictionary(c => c, _ => new List<BacktestScore>());
        var traces = new List<BacktestTrace>();
        var testSlots = length - options.TestStart;
        // Traces a few slots ahead where the model forecasts that far, else at its longest horizon.
        var lead = Math.Min(options.TraceLead, horizons);
        foreach (var model in models)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            progress?.Report($"{model.Name}: fitting on {options.TestStart} slots of {panel.Count} series");
            var engine = new ForecastEngine(model, new ForecastEngineOptions { Horizons = horizons, CalibrationDays = options.CalibrationDays, CalibrationStep = options.OriginStep, UnprecedentedWidening = options.UnprecedentedWidening });
            engine.Fit(training, calendar, progress);
            var fitted = clock.Elapsed;
            progress?.Report($"{model.Name}: fitted and calibrated in {fitted.TotalSeconds:0.0} s");
            var tallies = Enumerable.Range(0, horizons).Select(_ => new HorizonTally()).ToArray();
            var channelTallies = channelNames.Select(_ => Enumerable.Range(0, horizons).Select(_ => new HorizonTally()).ToArray()).ToArray();
            var total = new PanelTotals([.. Enumerable.Range(options.TestStart, testSlots).Select(panel.SlotStart)], Observed(panel, options.TestStart), Filled(testSlots), Filled(testSlots), lead, options.OriginStep);
            var kept = options.Traced.Select(_ => Enumerable.Range(0, 6).Select(_ => Filled(testSlots)).ToArray()).ToArray();
            var origins = 0;
            for (var origin = options.TestStart; origin < length; origin += options.OriginStep)
            {
                var f = engine.Forecast(panel.Take(origin), calendar, options.Levels);
                for (var s = 0; s < panel.Count; s++)
                {
                    var actual = panel.Values(s);
                    var levels = options.Levels?[s] ?? [];
                    for (var h = 0; h < horizons && origin + h < length; h++)
                    {
                        var a = actual[origin + h];
                        if (!double.IsNaN(a))
                        {
                            // As the traces: each slot from the latest origin at least 1 (or lead) slots before it.
                            var j = origin + h - options.TestStart;
                            if (h < options.OriginStep) total.Ahead1[j] = Add(total.Ahead1[j], f.Mean[s][h]);
                            if (h >= lead - 1 && h < lead - 1 + options.OriginStep) total.AheadLead[j] = Add(total.AheadLead[j], f.Mean[s][h]);
                        }

                        tallies[h].Add(a, f.Mean[s][h], f.Low80[s][h], f.High80[s][h], f.Low90[s][h], f.High90[s][h], f.Low95[s][h], f.High95[s][h]);
                        if (channels is not null)
                            channelTallies[channels.ChannelOf(s)][h].Add(a, f.Mean[s][h], f.Low80[s][h], f.High80[s][h], f.Low90[s][h], f.High90[s][h], f.Low95[s][h], f.High95[s][h]);
                        for (var k = 0; k < levels.Length; k++) tallies[h].AddBrier(f.Exceedance[s][h][k], a >= levels[k]);
                    }
                }

                // Traces: the slots from lead to lead + step - 1 ahead of this origin, each from the latest origin that far back.
                for (var i = 0; i < options.Traced.Count; i++)
                {
                    var s = options.Traced[i];
                    for (var h = lead; h < lead + options.OriginStep && h <= horizons; h++)
                    {
                        var t = origin + h - 1;
                        if (t >= length) break;
                        var j = t - options.TestStart;
                        kept[i][0][j] = panel.Values(s)[t];
                        kept[i][1][j] = f.Mean[s][h - 1];
                        kept[i][2][j] = f.Low80[s][h - 1];
                        kept[i][3][j] = f.High80[s][h - 1];
                        kept[i][4][j] = f.Low95[s][h - 1];
                        kept[i][5][j] = f.High95[s][h - 1];
                    }
                }

                if (++origins % 48 == 0) progress?.Report($"{model.Name}: {origins} of {(testSlots + options.OriginStep - 1) / options.OriginStep} origins forecast");
            }

            for (var h = 0; h < horizons; h++) scores.Add(tallies[h].Score(model.Name, h + 1));
            for (var c = 0; c < channelNames.Count; c++)
                for (var h = 0; h < horizons; h++) byChannel[channelNames[c]].Add(channelTallies[c][h].Score(model.Name, h + 1));
            var starts = Enumerable.Range(options.TestStart, testSlots).Select(i => panel.SlotStart(i)).ToArray();
            for (var i = 0; i < options.Traced.Count; i++)
            {
                var k = kept[i];
                traces.Add(new BacktestTrace(model.Name, panel.Keys[options.Traced[i]], lead, starts, k[0], k[1], k[2], k[3], k[4], k[5]));
            }

            progress?.Report($"{model.Name}: {panel.Count} series scored from {origins} origins; {clock.Elapsed.TotalSeconds:0.0} s in all");
            timings[model.Name] = (fitted, clock.Elapsed);
            totals[model.Name] = total;
        }

        return new BacktestResult(scores, traces, byChannel.ToDictionary(p => p.Key, p => (IReadOnlyList<BacktestScore>)p.Value), timings, totals);
    }

    private static double Add(double sum, double value) => double.IsNaN(value) ? sum : (double.IsNaN(sum) ? 0 : sum) + value;

    // Every place's observed values summed per slot from the test window's start (missing values left out).
    private static double[] Observed(SlotPanel panel, int from)
    {
        var sums = new double[panel.Length - from];
        for (var s = 0; s < panel.Count; s++)
        {
            var v = panel.Values(s);
            for (var t = from; t < panel.Length; t++) if (!double.IsNaN(v[t])) sums[t - from] += v[t];
        }

        return sums;
    }

    private static double[] Filled(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    /// <summary>
    /// The scores as crowd-flow papers table them: a row per model, RMSE / MAE / MAPE per chosen horizon.
    /// </summary>
    public static string Markdown(IReadOnlyList<BacktestScore> scores, IReadOnlyList<int> horizons, int slotMinutes)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(horizons);
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("| Model |");
        foreach (var h in horizons) sb.Append(ci, $" RMSE {h * slotMinutes} min | MAE {h * slotMinutes} min | MAPE {h * slotMinutes} min |");
        sb.Append("\n|---|");
        foreach (var _ in horizons) sb.Append("---:|---:|---:|");
        foreach (var model in scores.Select(s => s.Model).Distinct())
        {
            sb.Append(ci, $"\n| {model} |");
            foreach (var h in horizons)
            {
                var s = scores.FirstOrDefault(x => x.Model == model && x.Horizon == h);
                sb.Append(s is null ? " – | – | – |" : string.Create(ci, $" {s.Rmse:0.00} | {s.Mae:0.00} | {s.Mape:0.0}% |"));
            }
        }

        return sb.Append('\n').ToString();
    }
}
