using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// A choice among several models per horizon, learned on the last days of the training alone: the members are fitted
/// on the training without those days and forecast them from rolling origins; at each horizon the member with the
/// lowest mean squared error there is chosen, averaged with any other within <see cref="Tolerance"/> of it; then the
/// members are fitted again on the whole training. The test window never has a say.
/// </summary>
/// <param name="members">The models combined.</param>
/// <param name="horizons">The longest horizon weighted.</param>
/// <param name="validationDays">Days at the end of the training the weights are learned on.</param>
/// <param name="step">Slots between validation origins.</param>
public sealed class WeightedEnsemble(IReadOnlyList<IForecastModel> members, int horizons = 48, int validationDays = 7, int step = 4) : IForecastModel
{
    private double[][] _weights = [];

    /// <summary>How much worse than the best (in mean squared error) a member may be and still share a horizon.</summary>
    public const double Tolerance = 0.05;

    /// <summary>The members.</summary>
    public IReadOnlyList<IForecastModel> Members { get; } = members is { Count: > 0 } ? members : throw new ArgumentException("at least one member", nameof(members));

    /// <summary>Weights per horizon (index 0 is one slot ahead) and member, as learned by the last fit.</summary>
    public IReadOnlyList<double[]> Weights => _weights;

    /// <inheritdoc />
    public string Name => "ensemble";

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(training);
        var cut = training.Length - (validationDays * training.SlotsPerDay);
        if (cut < 2 * training.SlotsPerDay) throw new ArgumentException($"the training has {training.Length} slots: too short to hold out {validationDays} days to weigh the members", nameof(training));
        var errors = Members.Select(_ => Enumerable.Range(0, horizons).Select(_ => (Sum: 0.0, Count: 0)).ToArray()).ToArray();
        for (var m = 0; m < Members.Count; m++)
        {
            Members[m].Fit(training.Take(cut), calendar);
            for (var origin = cut; origin < training.Length; origin += step)
            {
                var f = Members[m].Forecast(training.Take(origin), horizons, calendar);
                for (var s = 0; s < training.Count; s++)
                {
                    var actual = training.Values(s);
                    for (var h = 0; h < horizons && origin + h < training.Length; h++)
                    {
                        var e = actual[origin + h] - f[s][h];
                        if (double.IsNaN(e)) continue;
                        errors[m][h].Sum += e * e;
                        errors[m][h].Count++;
                    }
                }
            }
        }

        _weights = new double[horizons][];
        for (var h = 0; h < horizons; h++)
        {
            var w = _weights[h] = new double[Members.Count];
            var mse = errors.Select(e => e[h].Count == 0 ? double.PositiveInfinity : e[h].Sum / e[h].Count).ToArray();
            var best = mse.Min();
            for (var m = 0; m < Members.Count; m++) w[m] = double.IsFinite(mse[m]) && mse[m] <= best * (1 + Tolerance) ? 1 : 0;

            var total = w.Sum();
            for (var m = 0; m < w.Length; m++) w[m] = total > 0 ? w[m] / total : 1.0 / w.Length;
        }

        foreach (var member in Members) member.Fit(training, calendar);
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (_weights.Length == 0) throw new InvalidOperationException("the ensemble has not been fitted");
        var forecasts = Members.Select(m => m.Forecast(history, horizons, calendar)).ToArray();
        var result = new double[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            var f = result[s] = new double[horizons];
            for (var h = 0; h < horizons; h++)
            {
                var w = _weights[Math.Min(h, _weights.Length - 1)];
                double sum = 0, weight = 0;
                for (var m = 0; m < forecasts.Length; m++)
                {
                    var v = forecasts[m][s][h];
                    if (double.IsNaN(v) || w[m] == 0) continue;
                    sum += w[m] * v;
                    weight += w[m];
                }

                f[h] = weight > 0 ? sum / weight : double.NaN;
            }
        }

        return result;
    }
}
