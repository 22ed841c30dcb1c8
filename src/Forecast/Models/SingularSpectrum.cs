using CrowdWatch.Forecast.Series;
using MathNet.Numerics.LinearAlgebra;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// Singular spectrum analysis per series, with recurrent forecasting: the series' lagged windows of length L are
/// decomposed by the eigenvectors of their covariance; the leading <see cref="Rank"/> of them span trend and
/// seasonality, and define a linear recurrence that continues the signal. A forecast projects the last window onto
/// that signal space and runs the recurrence forward. Written on MathNet.Numerics.
/// </summary>
/// <param name="window">L, the window in slots; 0 takes a day's slots (at most a third of the training).</param>
/// <param name="rank">Eigenvectors kept.</param>
/// <param name="trainingDays">Days of each series' most recent history the decomposition is fitted on.</param>
public sealed class SingularSpectrum(int window = 0, int rank = 8, int trainingDays = 28) : IForecastModel
{
    private readonly Dictionary<string, Recurrence> _fitted = new(StringComparer.Ordinal);

    /// <summary>Eigenvectors kept.</summary>
    public int Rank { get; } = rank > 0 ? rank : throw new ArgumentOutOfRangeException(nameof(rank), rank, "at least one eigenvector");

    /// <inheritdoc />
    public string Name => "ssa";

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(training);
        _fitted.Clear();
        var fitted = new Recurrence?[training.Count];
        Parallel.For(0, training.Count, s => fitted[s] = Decompose(training.Values(s), training.SlotsPerDay));
        for (var s = 0; s < training.Count; s++)
            if (fitted[s] is { } r) _fitted[training.Keys[s]] = r;
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        var result = new double[history.Count][];
        Parallel.For(0, history.Count, s =>
        {
            var values = history.Values(s);
            var r = _fitted.GetValueOrDefault(history.Keys[s]) ?? Decompose(values, history.SlotsPerDay);
            // A series too short or too flat to decompose (a cell nobody uses) is forecast as its recent mean, not
            // left out: a backtest must score every model on the same slots.
            result[s] = r is null ? Enumerable.Repeat(RecentMean(values, history.SlotsPerDay), horizons).ToArray() : r.Continue(values, horizons);
        });
        return result;
    }

    private static double RecentMean(ReadOnlySpan<double> values, int perDay)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values[Math.Max(0, values.Length - (7 * perDay))..])
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    // The signal space and its recurrence from the last trainingDays of a series; null when too short or degenerate.
    private Recurrence? Decompose(ReadOnlySpan<double> all, int perDay)
    {
        var x = Filled(all[Math.Max(0, all.Length - (trainingDays * perDay))..]);
        var n = x.Length;
        var l = window > 0 ? window : perDay;
        l = Math.Min(l, n / 3);
        if (l < 2 || n < 3) return null;
        var k = n - l + 1;

        // Lag covariance C[i,j] = sum over windows of x[i+w] x[j+w]; each diagonal step adds one product and drops one.
        var c = new double[l, l];
        for (var j = 0; j < l; j++)
        {
            double sum = 0;
            for (var w = 0; w < k; w++) sum += x[w] * x[j + w];
            c[0, j] = sum;
            for (var i = 1; i + j < l; i++)
            {
                sum += (x[i - 1 + k] * x[i - 1 + j + k]) - (x[i - 1] * x[i - 1 + j]);
                c[i, i + j] = sum;
            }
        }

        for (var i = 0; i < l; i++)
            for (var j = 0; j < i; j++) c[i, j] = c[j, i];

        var evd = Matrix<double>.Build.DenseOfArray(c).Evd(Symmetricity.Symmetric);
        // Eigenvalues ascending: the leading vectors are the last columns.
        var r = Math.Min(Rank, l - 1);
        var u = new double[r][];
        for (var q = 0; q < r; q++) u[q] = evd.EigenVectors.Column(l - 1 - q).ToArray();
        double nu2 = 0;
        foreach (var v in u) nu2 += v[l - 1] * v[l - 1];
        if (nu2 >= 1 - 1e-9) return null; // the recurrence is undefined when the last coordinate is all signal
        var a = new double[l - 1];
        foreach (var v in u)
            for (var j = 0; j < l - 1; j++) a[j] += v[l - 1] * v[j];
        for (var j = 0; j < l - 1; j++) a[j] /= 1 - nu2;
        var nonNegative = true;
        foreach (var v in x) nonNegative &= v >= 0;
        return new Recurrence(u, a, nonNegative);
    }

    // Missing slots take the value before them (or 0 at the start): SSA needs a complete window.
    private static double[] Filled(ReadOnlySpan<double> values)
    {
        var x = values.ToArray();
        var last = 0.0;
        for (var i = 0; i < x.Length; i++) last = double.IsNaN(x[i]) ? x[i] = last : x[i];
        return x;
    }

    private sealed class Recurrence(double[][] basis, double[] coefficients, bool nonNegative)
    {
        public double[] Continue(ReadOnlySpan<double> history, int horizons)
        {
            var l = coefficients.Length + 1;
            var result = new double[horizons];
            if (history.Length < l)
            {
                Array.Fill(result, double.NaN);
                return result;
            }

            // Project the last window onto the signal space, then run the recurrence from its newest L-1 values.
            var last = Filled(history[^l..]);
            var projected = new double[l];
            foreach (var v in basis)
            {
                double dot = 0;
                for (var j = 0; j < l; j++) dot += v[j] * last[j];
                for (var j = 0; j < l; j++) projected[j] += dot * v[j];
            }

            var buffer = new double[l - 1 + horizons];
            Array.Copy(projected, 1, buffer, 0, l - 1);
            for (var h = 0; h < horizons; h++)
            {
                double next = 0;
                for (var j = 0; j < l - 1; j++) next += coefficients[j] * buffer[h + j];
                buffer[l - 1 + h] = next;
                result[h] = nonNegative ? Math.Max(0, next) : next;
            }

            return result;
        }
    }
}
