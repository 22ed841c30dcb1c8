using CrowdWatch.Forecast.Series;
using MathNet.Numerics.LinearAlgebra;

namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>
/// Every place's next slots from every place's last slot: a ridge regression of each place's departure from its
/// day-type profile on all places' departures at the origin. It carries what the trees' own place and its
/// neighbours cannot: trips started across town in the last hour end here in this one, a crowd leaving a stadium
/// fills the stations further on. The trees take its forecast as a feature. The rows they learn from get
/// out-of-fold forecasts (the regression fitted without the block of origins the row is in), so that they learn
/// how far to trust it on data it has not seen; the ridge penalty is chosen the same way, on the training alone.
/// Panels of more than <see cref="MaxPlaces"/> series go without (the system grows as the square of the places).
/// </summary>
public sealed class CrossPlaceRegression
{
    /// <summary>Most series regressed on each other.</summary>
    public const int MaxPlaces = 600;

    /// <summary>Longest horizon forecast; beyond it the feature is missing.</summary>
    public const int MaxHorizon = 4;

    private const int Folds = 4;

    // Inputs at most: the normal equations grow as their square, the solves as their cube.
    private const int MaxInputs = 800;
    private static readonly double[] Penalties = [1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000];

    private readonly double[][] _profile;
    private readonly double[] _scales;
    private readonly double[][] _full;
    private readonly double[][][] _byFold;
    private readonly int _foldLength;
    private readonly int _firstOrigin;

    private CrossPlaceRegression(double[][] profile, double[] scales, double[][] full, double[][][] byFold, int firstOrigin, int foldLength, double penalty, int lags)
    {
        (_profile, _scales, _full, _byFold, _firstOrigin, _foldLength, Penalty, Lags) = (profile, scales, full, byFold, firstOrigin, foldLength, penalty, lags);
    }

    /// <summary>
    /// Slots back each place is read (up to three, as many as <see cref="MaxInputs"/> allows): the last slot's trips
    /// end in this one, those of the slots before still arrive.
    /// </summary>
    public int Lags { get; }

    /// <summary>The ridge penalty chosen.</summary>
    public double Penalty { get; }

    /// <summary>Horizons fitted.</summary>
    public int Horizons => _full.Length;

    /// <summary>
    /// Fits on the origins from <paramref name="firstOrigin"/> of <paramref name="training"/>; null where the panel has
    /// too many places or too few origins.
    /// </summary>
    public static CrossPlaceRegression? Fit(SlotPanel training, SlotTimes times, double[] scales, int horizons, int firstOrigin)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(scales);
        var places = training.Count;
        var hr = Math.Min(horizons, MaxHorizon);
        var n = training.Length;
        var origins = n - hr - firstOrigin + 1;
        if (places > MaxPlaces || places < 2 || origins < 8 * Folds) return null;
        var perDay = training.SlotsPerDay;
        var profile = Profile(training, times, firstOrigin);
        var lags = Math.Clamp(MaxInputs / places, 1, 3);
        var p = (lags * places) + 1;
        var foldLength = (origins + Folds - 1) / Folds;

        // Sums of the normal equations per fold: X'X and X'Y per horizon, X the places' departures at o - 1 (and 1),
        // column-major as MathNet stores them.
        var xtx = Enumerable.Range(0, Folds).Select(_ => new double[p * p]).ToArray();
        var xty = Enumerable.Range(0, Folds).Select(_ => Enumerable.Range(0, hr).Select(_ => new double[p * places]).ToArray()).ToArray();
        var x = new double[p];
        var y = new double[places];
        for (var o = firstOrigin; o < firstOrigin + origins; o++)
        {
            var f = (o - firstOrigin) / foldLength;
            Inputs(training, times, profile, scales, o, lags, x);
            var a = xtx[f];
            for (var i = 0; i < p; i++)
            {
                var xi = x[i];
                if (xi == 0) continue;
                var row = a.AsSpan(i * p, p);
                for (var j = 0; j < p; j++) row[j] += xi * x[j];
            }

            for (var h = 1; h <= hr; h++)
            {
                var t = o + h - 1;
                for (var s = 0; s < places; s++) y[s] = Departure(training.Values(s)[t], profile[s], times, t, perDay, scales[s]);
                var b = xty[f][h - 1];
                for (var s = 0; s < places; s++)
                {
                    var ys = y[s];
                    if (ys == 0) continue;
                    var column = b.AsSpan(s * p, p);
                    for (var i = 0; i < p; i++) column[i] += x[i] * ys;
                }
            }
        }

        Matrix<double> M(double[] a, int columns) => Matrix<double>.Build.Dense(p, columns, a);
        var foldXtx = xtx.Select(a => M(a, p)).ToArray();
        var foldXty = xty.Select(f => f.Select(a => M(a, places)).ToArray()).ToArray();
        var totalXtx = foldXtx.Aggregate((l, r) => l + r);
        var totalXty = Enumerable.Range(0, hr).Select(h => foldXty.Select(f => f[h]).Aggregate((l, r) => l + r)).ToArray();

        // The penalty: the one whose out-of-fold forecasts one slot ahead err least (in units of the places' scales).
        var best = (Penalty: Penalties[0], Error: double.PositiveInfinity);
        foreach (var penalty in Penalties)
        {
            double error = 0;
            for (var f = 0; f < Folds; f++)
            {
                var coef = Solve(totalXtx - foldXtx[f], totalXty[0] - foldXty[f][0], penalty);
                error += FoldError(training, times, profile, scales, coef, firstOrigin + (f * foldLength), Math.Min(firstOrigin + origins, firstOrigin + ((f + 1) * foldLength)), x);
            }

            if (error < best.Error) best = (penalty, error);
        }

        var full = Enumerable.Range(0, hr).Select(h => Solve(totalXtx, totalXty[h], best.Penalty)).ToArray();
        var byFold = Enumerable.Range(0, Folds).Select(f => Enumerable.Range(0, hr).Select(h => Solve(totalXtx - foldXtx[f], totalXty[h] - foldXty[f][h], best.Penalty)).ToArray()).ToArray();
        return new CrossPlaceRegression(profile, scales, full, byFold, firstOrigin, foldLength, best.Penalty, lags);
    }

    /// <summary>
    /// The forecast of series <paramref name="series"/> <paramref name="horizon"/> slots after <paramref name="origin"/>
    /// of <paramref name="panel"/>, from <paramref name="inputs"/> (<see cref="Inputs(SlotPanel, SlotTimes, int)"/> of that origin);
    /// <paramref name="outOfFold"/> uses the fit without the origin's block (for training rows). NaN beyond
    /// <see cref="Horizons"/>.
    /// </summary>
    public double Forecast(SlotPanel panel, SlotTimes times, ReadOnlySpan<double> inputs, int origin, int horizon, int series, bool outOfFold)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(times);
        if (horizon > Horizons || origin < 1) return double.NaN;
        var coef = outOfFold ? _byFold[Math.Clamp((origin - _firstOrigin) / _foldLength, 0, Folds - 1)][horizon - 1] : _full[horizon - 1];
        var p = inputs.Length;
        var column = coef.AsSpan(series * p, p);
        double z = 0;
        for (var i = 0; i < p; i++) z += inputs[i] * column[i];
        return Math.Max(0, ProfileAt(_profile[series], times, origin + horizon - 1, panel.SlotsPerDay) + (z * _scales[series]));
    }

    /// <summary>The regression's inputs at <paramref name="origin"/>: every place's departure from its profile at the last slot, and 1.</summary>
    public double[] Inputs(SlotPanel panel, SlotTimes times, int origin)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var x = new double[(Lags * panel.Count) + 1];
        if (origin >= Lags) Inputs(panel, times, _profile, _scales, origin, Lags, x);
        return x;
    }

    // Each place's mean per day type (working, rest) and slot of day over the training's origins.
    private static double[][] Profile(SlotPanel training, SlotTimes times, int from)
    {
        var perDay = training.SlotsPerDay;
        var result = new double[training.Count][];
        for (var s = 0; s < training.Count; s++)
        {
            var sums = new double[2 * perDay];
            var counts = new int[2 * perDay];
            var v = training.Values(s);
            for (var t = Math.Max(0, from - (28 * perDay)); t < training.Length; t++)
            {
                if (double.IsNaN(v[t])) continue;
                var k = Key(times, t, perDay);
                sums[k] += v[t];
                counts[k]++;
            }

            result[s] = [.. sums.Select((x, k) => counts[k] > 0 ? x / counts[k] : 0)];
        }

        return result;
    }

    private static int Key(SlotTimes times, int t, int perDay) =>
        (times.DayClass[t] is 0 or 6 or SlotCalendar.HolidayClass ? perDay : 0) + times.SlotOfDay[t];

    private static double ProfileAt(double[] profile, SlotTimes times, int t, int perDay) => profile[Key(times, t, perDay)];

    private static double Departure(double value, double[] profile, SlotTimes times, int t, int perDay, double scale) =>
        double.IsNaN(value) ? 0 : (value - ProfileAt(profile, times, t, perDay)) / scale;

    private static void Inputs(SlotPanel panel, SlotTimes times, double[][] profile, double[] scales, int origin, int lags, double[] x)
    {
        var perDay = panel.SlotsPerDay;
        for (var lag = 1; lag <= lags; lag++)
        {
            var at = (lag - 1) * panel.Count;
            for (var s = 0; s < panel.Count; s++) x[at + s] = origin - lag < 0 ? 0 : Departure(panel.Values(s)[origin - lag], profile[s], times, origin - lag, perDay, scales[s]);
        }

        x[^1] = 1;
    }

    // Column-major coefficients: input i of series s at [s * inputs + i].
    private static double[] Solve(Matrix<double> xtx, Matrix<double> xty, double penalty)
    {
        var a = xtx.Clone();
        // The intercept (last input) goes unpenalised.
        for (var i = 0; i < a.RowCount - 1; i++) a[i, i] += penalty;
        a[a.RowCount - 1, a.RowCount - 1] += 1e-9;
        return a.Cholesky().Solve(xty).ToColumnMajorArray();
    }

    private static double FoldError(SlotPanel training, SlotTimes times, double[][] profile, double[] scales, double[] coef, int from, int to, double[] x)
    {
        var perDay = training.SlotsPerDay;
        double error = 0;
        for (var o = from; o < to; o++)
        {
            Inputs(training, times, profile, scales, o, (x.Length - 1) / training.Count, x);
            for (var s = 0; s < training.Count; s++)
            {
                var actual = training.Values(s)[o];
                if (double.IsNaN(actual)) continue;
                double z = 0;
                for (var i = 0; i < x.Length; i++) z += x[i] * coef[(s * x.Length) + i];
                var e = (Departure(actual, profile[s], times, o, perDay, scales[s]) - z) * scales[s];
                error += e * e;
            }
        }

        return error;
    }
}
