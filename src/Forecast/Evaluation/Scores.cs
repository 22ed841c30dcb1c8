namespace CrowdWatch.Forecast.Evaluation;

/// <summary>
/// The scores crowd-flow papers report, over pairs of actual and forecast values; pairs with a missing (NaN) value on
/// either side are left out, and a score over no pairs is NaN.
/// </summary>
public static class Scores
{
    /// <summary>Actual counts at or below this are left out of MAPE: a percentage of almost nobody says nothing.</summary>
    public const double MapeFloor = 10;

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast) =>
        Math.Sqrt(Mean(actual, forecast, static (a, f) => (a - f) * (a - f), static _ => true));

    /// <summary>Mean absolute error.</summary>
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast) =>
        Mean(actual, forecast, static (a, f) => Math.Abs(a - f), static _ => true);

    /// <summary>Mean absolute percentage error, in percent, over slots whose actual count exceeds <see cref="MapeFloor"/>.</summary>
    public static double Mape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast) =>
        100 * Mean(actual, forecast, static (a, f) => Math.Abs(a - f) / a, static a => a > MapeFloor);

    /// <summary>Share of actual values inside [low, high].</summary>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> low, ReadOnlySpan<double> high)
    {
        Same(actual, low, high);
        var inside = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]) || double.IsNaN(low[i]) || double.IsNaN(high[i])) continue;
            n++;
            if (actual[i] >= low[i] && actual[i] <= high[i]) inside++;
        }

        return n == 0 ? double.NaN : (double)inside / n;
    }

    /// <summary>
    /// The mean Winkler (interval) score of (1 - <paramref name="alpha"/>) intervals: the interval's width, plus
    /// 2/alpha times how far the actual value falls outside it. Narrow intervals that still hold score best.
    /// </summary>
    public static double Winkler(ReadOnlySpan<double> actual, ReadOnlySpan<double> low, ReadOnlySpan<double> high, double alpha)
    {
        Same(actual, low, high);
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha is between 0 and 1, e.g. 0.2 for 80% intervals");
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var (a, l, h) = (actual[i], low[i], high[i]);
            if (double.IsNaN(a) || double.IsNaN(l) || double.IsNaN(h)) continue;
            n++;
            sum += (h - l) + (a < l ? 2 / alpha * (l - a) : 0) + (a > h ? 2 / alpha * (a - h) : 0);
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>The Brier score of probabilities against what happened (true: the level was reached).</summary>
    public static double Brier(ReadOnlySpan<double> probability, ReadOnlySpan<bool> happened)
    {
        if (probability.Length != happened.Length) throw new ArgumentException("one outcome per probability");
        double sum = 0;
        var n = 0;
        for (var i = 0; i < probability.Length; i++)
        {
            if (double.IsNaN(probability[i])) continue;
            var d = probability[i] - (happened[i] ? 1 : 0);
            sum += d * d;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    private static double Mean(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, Func<double, double, double> term, Func<double, bool> counts)
    {
        if (actual.Length != forecast.Length) throw new ArgumentException("one forecast per actual value");
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]) || double.IsNaN(forecast[i]) || !counts(actual[i])) continue;
            sum += term(actual[i], forecast[i]);
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    private static void Same(ReadOnlySpan<double> actual, ReadOnlySpan<double> low, ReadOnlySpan<double> high)
    {
        if (actual.Length != low.Length || actual.Length != high.Length) throw new ArgumentException("one interval per actual value");
    }
}
