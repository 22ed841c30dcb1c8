using System.Globalization;
using System.Text;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// Rolling-origin evaluation: each model is fitted on the slots before the test window only, then, from each origin
/// in the window, forecasts the next slots from the history up to that origin; every forecast that lands inside the
/// series is scored against what happened.
/// </summary>
public static class Backtest
{
    /// <summary>
    /// Scores every model at every horizon from 1 to <paramref name="horizons"/>. The test window starts at slot
    /// <paramref name="testStart"/> of the series (which share start and slot length); origins are every
    /// <paramref name="originStep"/> slots from there.
    /// </summary>
    public static IReadOnlyList<BacktestScore> Run(IReadOnlyList<IForecastModel> models, IReadOnlyList<SlotSeries> series, SlotCalendar calendar,
        int testStart, int horizons, int originStep = 1, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calendar);
        if (series.Count == 0) throw new ArgumentException("no series to backtest", nameof(series));
        var length = series[0].Values.Length;
        if (series.Any(s => s.Values.Length != length || s.StartMs != series[0].StartMs || s.SlotMinutes != series[0].SlotMinutes))
            throw new ArgumentException("the series must share their start, slot length and length", nameof(series));
        if (testStart <= 0 || testStart >= length) throw new ArgumentOutOfRangeException(nameof(testStart), testStart, $"the test window must start inside the series (1..{length - 1})");
        if (horizons <= 0) throw new ArgumentOutOfRangeException(nameof(horizons), horizons, "at least one slot ahead");
        if (originStep <= 0) throw new ArgumentOutOfRangeException(nameof(originStep), originStep, "at least 1");

        // The models learn from the training slots alone: nothing of the test window can leak into them.
        var training = series.Select(s => s.Take(testStart)).ToList();
        var scores = new List<BacktestScore>();
        foreach (var model in models)
        {
            model.Fit(training, calendar);
            var actual = Enumerable.Range(0, horizons).Select(_ => new List<double>()).ToArray();
            var forecast = Enumerable.Range(0, horizons).Select(_ => new List<double>()).ToArray();
            foreach (var s in series)
            {
                for (var origin = testStart; origin < length; origin += originStep)
                {
                    var f = model.Forecast(s.Take(origin), horizons, calendar);
                    for (var h = 0; h < horizons && origin + h < length; h++)
                    {
                        actual[h].Add(s.Values[origin + h]);
                        forecast[h].Add(f[h]);
                    }
                }
            }

            for (var h = 0; h < horizons; h++)
            {
                var a = actual[h].ToArray();
                var f = forecast[h].ToArray();
                var pairs = a.Zip(f).Count(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second));
                scores.Add(new BacktestScore(model.Name, h + 1, Scores.Rmse(a, f), Scores.Mae(a, f), Scores.Mape(a, f), pairs));
            }

            progress?.Report($"{model.Name}: {series.Count} series scored");
        }

        return scores;
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
