using CrowdWatch.Alerts.Risk;
using ScottPlot;

namespace CrowdWatch.Dashboard.Charts;

/// <summary>
/// A zone's density over time as PNG: people per walkable m² per slot, with the four warning levels drawn across, so
/// the daily and weekly rhythm and a holiday surge can be seen at a glance.
/// </summary>
internal static class ZoneChartPng
{
    /// <summary>Writes the chart of one zone.</summary>
    public static void Write(string path, string title, IReadOnlyList<DateTime> slotStarts, IReadOnlyList<double> density)
    {
        var plot = new Plot();
        var xs = slotStarts.Select(t => t.ToOADate()).ToArray();
        ChartParts.Line(plot, xs, density.ToArray(), Colors.Black, 1, "people / walkable m² (true)");
        ChartParts.LevelLines(plot, LevelThresholds.Default.Densities, (name, level) => $"{name} {level}");

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.Axes.Title.Label.FontName = ChartFont.Family;
        plot.YLabel("persons / m² (walkable)");
        plot.Axes.SetLimitsY(0, Math.Max(4.5, density.DefaultIfEmpty(0).Max() * 1.1));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1600, 600);
    }
}
