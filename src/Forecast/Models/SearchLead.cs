using CrowdWatch.Forecast.Series;
using MathNet.Numerics.Distributions;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// The leading signal of map searches turned into a forecast: people look a place up hours before they go, so when
/// the searches of the last hours stand at r times their usual, the coming hours are expected at their usual counts
/// times r^β. Fitted on the history: y = ln(the next hours' peak over its usual) against x = ln(the last hours'
/// searches over their usual), y = α + βx by least squares, with σ the spread of what is left; the probability of
/// reaching a level is then log-normal around the expectation. Unlike trees, which cannot go beyond the ratios they
/// were trained on, this extrapolates: a first holiday evening with searches at five times their usual is forecast
/// as one, hours before the crowd arrives.
/// </summary>
public sealed class SearchLead
{
    /// <summary>A search-led forecaster.</summary>
    /// <param name="lookahead">Slots ahead it forecasts (32 fifteen-minute slots: 8 hours).</param>
    /// <param name="window">Slots of searches summed for the ratio (8: two hours).</param>
    /// <param name="baselineDays">Days whose same slots make the usual.</param>
    public SearchLead(int lookahead = 32, int window = 8, int baselineDays = 14)
    {
        if (lookahead < 1 || window < 1 || baselineDays < 2) throw new ArgumentOutOfRangeException(nameof(lookahead), "lookahead and window at least 1, baselineDays at least 2");
        (Lookahead, Window, BaselineDays) = (lookahead, window, baselineDays);
    }

    /// <summary>Slots ahead.</summary>
    public int Lookahead { get; }

    /// <summary>Slots of searches in the ratio.</summary>
    public int Window { get; }

    /// <summary>Days of the usual.</summary>
    public int BaselineDays { get; }

    /// <summary>Intercept of the fit.</summary>
    public double Alpha { get; private set; }

    /// <summary>How the next hours' peak follows the searches: 1 means in proportion.</summary>
    public double Beta { get; private set; } = 1;

    /// <summary>Spread of the log peak ratio around the fit.</summary>
    public double Sigma { get; private set; } = 0.5;

    /// <summary>Pairs the fit was made on (0 before fitting).</summary>
    public int Pairs { get; private set; }

    /// <summary>Fits α, β and σ on every place and every <paramref name="step"/>-th origin of <paramref name="panel"/> with a full baseline behind it.</summary>
    public void Fit(SlotPanel panel, int step = 4)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (!panel.HasSearch) throw new ArgumentException("the panel has no search heat to lead with", nameof(panel));
        var perDay = panel.SlotsPerDay;
        var (sx, sy, sxx, sxy, n) = (0.0, 0.0, 0.0, 0.0, 0);
        var pairs = new List<(double X, double Y)>();
        for (var s = 0; s < panel.Count; s++)
        {
            for (var t = (BaselineDays * perDay) + Window; t + Lookahead < panel.Length; t += step)
            {
                if (Point(panel, s, t) is not { } p) continue;
                var actual = 0.0;
                var values = panel.Values(s);
                for (var h = 1; h <= Lookahead; h++) actual = Math.Max(actual, values[t + h]);
                if (!(actual > 0)) continue;
                var (x, y) = (Math.Log(p.Ratio), Math.Log(actual / p.UsualPeak));
                pairs.Add((x, y));
                (sx, sy, sxx, sxy, n) = (sx + x, sy + y, sxx + (x * x), sxy + (x * y), n + 1);
            }
        }

        Pairs = n;
        if (n < 10) return;
        var varX = (sxx / n) - (sx / n * (sx / n));
        // Ordinary days vary their searches little: with no spread in x there is nothing to fit β on, so keep proportion.
        Beta = varX > 1e-4 ? Math.Clamp(((sxy / n) - (sx / n * (sy / n))) / varX, 0, 2) : 1;
        Alpha = (sy / n) - (Beta * sx / n);
        var residual = pairs.Sum(p => Math.Pow(p.Y - Alpha - (Beta * p.X), 2)) / Math.Max(1, n - 2);
        Sigma = Math.Max(0.05, Math.Sqrt(residual));
    }

    /// <summary>
    /// From the end of <paramref name="history"/>, for place <paramref name="series"/>: the expected counts of the next
    /// <see cref="Lookahead"/> slots, the search ratio, and per slot the probability of reaching each of
    /// <paramref name="levels"/>; null where there is no usual to compare with (too short a history, no searches).
    /// </summary>
    public SearchLeadForecast? Forecast(SlotPanel history, int series, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(levels);
        if (!history.HasSearch) return null;
        var t = history.Length - 1;
        if (Point(history, series, t) is not { } p) return null;
        var factor = Math.Exp(Alpha) * Math.Pow(p.Ratio, Beta);
        var mean = new double[Lookahead];
        var exceed = new double[Lookahead][];
        for (var h = 1; h <= Lookahead; h++)
        {
            var m = mean[h - 1] = p.UsualAhead[h - 1] * factor;
            var e = exceed[h - 1] = new double[levels.Count];
            for (var k = 0; k < levels.Count; k++)
                e[k] = m > 0 && levels[k] > 0 ? 1 - Normal.CDF(0, 1, (Math.Log(levels[k]) - Math.Log(m)) / Sigma) : 0;
        }

        return new SearchLeadForecast(p.Ratio, factor, mean, exceed, Sigma);
    }

    // The search ratio at t and the usual counts ahead (medians of the same slots on the baseline days); null when
    // either is missing or too small to mean anything.
    private (double Ratio, double UsualPeak, double[] UsualAhead)? Point(SlotPanel panel, int s, int t)
    {
        var perDay = panel.SlotsPerDay;
        if (t - (BaselineDays * perDay) - Window < 0) return null;
        var values = panel.Values(s);
        var search = panel.Search(s);
        var (now, usual) = (0.0, 0.0);
        var day = new double[BaselineDays];
        for (var w = 0; w < Window; w++)
        {
            now += search[t - w];
            for (var d = 1; d <= BaselineDays; d++) day[d - 1] = search[t - w - (d * perDay)];
            usual += Median.Of(day);
        }

        // Fewer than one search a slot on usual days: the ratio would be noise.
        if (usual < Window || now <= 0) return null;
        var ahead = new double[Lookahead];
        var peak = 0.0;
        for (var h = 1; h <= Lookahead; h++)
        {
            for (var d = 1; d <= BaselineDays; d++)
            {
                var i = t + h - (d * perDay);
                day[d - 1] = i < values.Length ? values[i] : 0;
            }

            ahead[h - 1] = Median.Of(day);
            peak = Math.Max(peak, ahead[h - 1]);
        }

        return peak >= 10 ? (now / usual, peak, ahead) : null;
    }
}
