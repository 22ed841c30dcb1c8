using ScottPlot;

namespace CrowdWatch.Dashboard.Charts;

/// <summary>The pieces CrowdWatch's time charts share: plain lines, interval bands, and the warning levels drawn across.</summary>
internal static class ChartParts
{
    /// <summary>The four warning levels' names and colours, lowest first.</summary>
    public static readonly (string Name, Color Color)[] Levels = [("Blue", Colors.RoyalBlue), ("Yellow", Colors.Gold), ("Orange", Colors.DarkOrange), ("Red", Colors.Red)];

    /// <summary>A line without markers.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, Color color, float width, string legend)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var line = plot.Add.Scatter(xs, ys);
        line.MarkerSize = 0;
        line.LineWidth = width;
        line.Color = color;
        line.LegendText = legend;
    }

    /// <summary>A filled band between <paramref name="low"/> and <paramref name="high"/>, over the slots where both are known.</summary>
    public static void Band(Plot plot, double[] xs, double[] low, double[] high, Color color, string legend)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var idx = Enumerable.Range(0, xs.Length).Where(i => !double.IsNaN(low[i]) && !double.IsNaN(high[i])).ToArray();
        if (idx.Length < 2) return;
        var fill = plot.Add.FillY(idx.Select(i => xs[i]).ToArray(), idx.Select(i => low[i]).ToArray(), idx.Select(i => high[i]).ToArray());
        fill.FillColor = color;
        fill.LineWidth = 0;
        fill.LegendText = legend;
    }

    /// <summary>Dashed lines at the values where each level begins (lowest first), labelled by <paramref name="legend"/>(name, value).</summary>
    public static void LevelLines(Plot plot, IReadOnlyList<double> values, Func<string, double, string> legend)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(legend);
        for (var i = 0; i < values.Count && i < Levels.Length; i++)
        {
            var line = plot.Add.HorizontalLine(values[i]);
            line.Color = Levels[i].Color;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = legend(Levels[i].Name, values[i]);
        }
    }
}
