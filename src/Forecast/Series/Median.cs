namespace CrowdWatch.Forecast.Series;

/// <summary>The median of a few values: the robust "usual" of the same slot on past days, for search heat and counts.</summary>
public static class Median
{
    /// <summary>The median of <paramref name="values"/> (left as they are; NaN for none).</summary>
    public static double Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return double.NaN;
        var copy = values.ToArray();
        Array.Sort(copy);
        var n = copy.Length;
        return n % 2 == 1 ? copy[n / 2] : (copy[(n / 2) - 1] + copy[n / 2]) / 2;
    }
}
