namespace CrowdWatch.Forecast.Intervals;

/// <summary>
/// Split conformal prediction per horizon, scaled by level and rolling in time: the recent errors of a model's
/// forecasts, each divided by the scale of its forecast (errors of counts grow with the count), are kept per horizon
/// for the last <see cref="WindowSlots"/> target slots. An interval of coverage c is the forecast plus the (1-c)/2 and
/// (1+c)/2 quantiles of those errors times the forecast's scale; the probability of reaching a level is the share of
/// errors that would have carried the forecast to it. Errors are held as a histogram, so adding, forgetting and asking
/// cost the same whatever the number of places.
/// </summary>
public sealed class ConformalCalibration
{
    // Errors in units of the scale, binned at 1/BinsPerUnit over [-Range, Range]; beyond that they are clamped.
    private const int BinsPerUnit = 50;
    private const double Range = 60;
    private const int Bins = (int)(2 * Range * BinsPerUnit) + 1;

    private readonly int[][] _counts;
    private readonly int[] _total;
    private readonly Queue<(int Target, int Bin)>[] _recent;
    private readonly int[]?[] _tails;
    private readonly Dictionary<double, (double Low, double High)>[] _quantiles;

    /// <summary>Calibration for horizons 1..<paramref name="horizons"/>, remembering errors of the last <paramref name="windowSlots"/> target slots.</summary>
    /// <param name="horizons">The longest horizon.</param>
    /// <param name="windowSlots">How many target slots back errors are kept.</param>
    /// <param name="minimumErrors">Fewest errors a horizon needs before it gives intervals.</param>
    public ConformalCalibration(int horizons, int windowSlots, int minimumErrors = 30)
    {
        if (horizons <= 0) throw new ArgumentOutOfRangeException(nameof(horizons), horizons, "at least one slot ahead");
        if (windowSlots <= 0) throw new ArgumentOutOfRangeException(nameof(windowSlots), windowSlots, "at least one slot");
        Horizons = horizons;
        WindowSlots = windowSlots;
        MinimumErrors = Math.Max(1, minimumErrors);
        _counts = [.. Enumerable.Range(0, horizons).Select(_ => new int[Bins])];
        _total = new int[horizons];
        _recent = [.. Enumerable.Range(0, horizons).Select(_ => new Queue<(int, int)>())];
        _tails = new int[]?[horizons];
        _quantiles = [.. Enumerable.Range(0, horizons).Select(_ => new Dictionary<double, (double, double)>())];
    }

    /// <summary>The longest horizon.</summary>
    public int Horizons { get; }

    /// <summary>How many target slots back errors are kept.</summary>
    public int WindowSlots { get; }

    /// <summary>Fewest errors a horizon needs before it gives intervals (NaN until then).</summary>
    public int MinimumErrors { get; }

    /// <summary>
    /// The scale of a forecast: errors of counts grow about as the square root of the count (as a Poisson count's
    /// do) for quiet places and faster for busy ones; 1 + forecast^0.75 follows both well enough.
    /// </summary>
    public static double Scale(double forecast) => 1 + Math.Pow(Math.Max(0, forecast), 0.75);

    /// <summary>Errors kept for <paramref name="horizon"/> (1-based).</summary>
    public int Count(int horizon) => _total[horizon - 1];

    /// <summary>Records what happened at target slot <paramref name="target"/> against its forecast <paramref name="horizon"/> slots ahead.</summary>
    public void Observe(int horizon, int target, double actual, double forecast)
    {
        if (double.IsNaN(actual) || double.IsNaN(forecast)) return;
        var h = horizon - 1;
        var bin = Bin((actual - forecast) / Scale(forecast));
        _counts[h][bin]++;
        _total[h]++;
        _recent[h].Enqueue((target, bin));
        Invalidate(h);
    }

    /// <summary>Forgets errors of target slots more than the window before <paramref name="now"/>.</summary>
    public void Forget(int now)
    {
        for (var h = 0; h < Horizons; h++)
        {
            var q = _recent[h];
            var changed = false;
            while (q.Count > 0 && q.Peek().Target < now - WindowSlots)
            {
                var (_, bin) = q.Dequeue();
                _counts[h][bin]--;
                _total[h]--;
                changed = true;
            }

            if (changed) Invalidate(h);
        }
    }

    /// <summary>The interval of coverage <paramref name="coverage"/> (e.g. 0.9) around a forecast; NaN while too few errors are known.</summary>
    /// <param name="horizon">Slots ahead, 1-based.</param>
    /// <param name="forecast">The forecast.</param>
    /// <param name="coverage">The share of outcomes the interval should hold.</param>
    /// <param name="widen">A factor on the errors' scale, above 1 where the target is less like the errors' past.</param>
    /// <param name="floor">A count whose scale the errors' scale never falls below (a recent level), 0 for none.</param>
    public (double Low, double High) Interval(int horizon, double forecast, double coverage, double widen = 1, double floor = 0)
    {
        if (coverage is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "between 0 and 1, e.g. 0.8");
        var h = horizon - 1;
        var n = _total[h];
        if (n < MinimumErrors || double.IsNaN(forecast)) return (double.NaN, double.NaN);
        var tail = Tail(h);
        // The quantiles depend on the horizon and coverage alone: found once per change of the errors, not per place.
        var quantiles = _quantiles[h];
        (double Low, double High) q;
        lock (quantiles)
        {
            if (!quantiles.TryGetValue(coverage, out q))
            {
                // The finite-sample conformal quantiles: ceil((n + 1)(1 - a/2)) of n from each side.
                var alpha = 1 - coverage;
                var k = Math.Min(n, (int)Math.Ceiling((n + 1) * (1 - (alpha / 2))));
                quantiles[coverage] = q = (Value(QuantileBin(tail, k, fromTop: false)), Value(QuantileBin(tail, k, fromTop: true)));
            }
        }

        var scale = Scale(Math.Max(forecast, floor)) * widen;
        return (Math.Max(0, forecast + (q.Low * scale)), Math.Max(0, forecast + (q.High * scale)));
    }

    /// <summary>
    /// The probability that the count reaches <paramref name="threshold"/> at the slot forecast as
    /// <paramref name="forecast"/>, <paramref name="horizon"/> slots ahead; NaN while too few errors are known.
    /// </summary>
    /// <param name="horizon">Slots ahead, 1-based.</param>
    /// <param name="forecast">The forecast.</param>
    /// <param name="threshold">The count to reach.</param>
    /// <param name="widen">A factor on the errors' scale, as for <see cref="Interval"/>.</param>
    public double Exceedance(int horizon, double forecast, double threshold, double widen = 1)
    {
        var h = horizon - 1;
        var n = _total[h];
        if (n < MinimumErrors || double.IsNaN(forecast)) return double.NaN;
        var needed = (threshold - forecast) / (Scale(forecast) * widen);
        var tail = Tail(h);
        var bin = Bin(needed);
        // Errors in the threshold's own bin count by the share of the bin at or above it.
        var within = tail[bin] - (bin + 1 < Bins ? tail[bin + 1] : 0);
        var above = bin + 1 < Bins ? tail[bin + 1] : 0;
        var fraction = Math.Clamp(0.5 - ((needed - Value(bin)) * BinsPerUnit), 0, 1);
        return (above + (within * fraction)) / n;
    }

    private void Invalidate(int h)
    {
        _tails[h] = null;
        lock (_quantiles[h]) _quantiles[h].Clear();
    }

    private static int Bin(double error) => (int)Math.Round((Math.Clamp(error, -Range, Range) + Range) * BinsPerUnit);

    private static double Value(int bin) => ((double)bin / BinsPerUnit) - Range;

    // tail[b] = errors in bin b or above.
    private int[] Tail(int h)
    {
        if (_tails[h] is { } t) return t;
        t = new int[Bins];
        var counts = _counts[h];
        var sum = 0;
        for (var b = Bins - 1; b >= 0; b--) t[b] = sum += counts[b];
        return _tails[h] = t;
    }

    // From the bottom: the lowest bin b such that at least n - k + 1 errors lie at or below it is the k-th largest
    // from the top; from the top: the highest bin with at least n - k + 1 errors at or above it.
    private int QuantileBin(int[] tail, int k, bool fromTop)
    {
        var n = tail[0];
        var need = n - k + 1;
        if (fromTop)
        {
            for (var b = Bins - 1; b >= 0; b--) if (tail[b] >= need) return b;
            return 0;
        }

        for (var b = 0; b < Bins; b++)
        {
            var atOrBelow = n - (b + 1 < Bins ? tail[b + 1] : 0);
            if (atOrBelow >= need) return b;
        }

        return Bins - 1;
    }
}
