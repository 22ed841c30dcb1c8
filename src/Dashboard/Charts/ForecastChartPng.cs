using CrowdWatch.Forecast.Storage;
using ScottPlot;

namespace CrowdWatch.Dashboard.Charts;

/// <summary>
/// One place's forecast as PNG: the last day observed, then the forecast with its 80% and 95% bands, and the counts at
/// which the warning levels begin, so that "how likely is Orange tonight" can be seen at a glance.
/// </summary>
internal static class ForecastChartPng
{
    public static void Write(string path, string title, TimeZoneInfo zone, IReadOnlyList<long> pastMs, IReadOnlyList<double> past,
        IReadOnlyList<ForecastValue> forecast, IReadOnlyList<double> levels)
    {
        double X(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime.ToOADate();
        var plot = new Plot();
        var fx = forecast.Select(v => X(v.TargetSlotMs)).ToArray();
        ChartParts.Band(plot, fx, [.. forecast.Select(v => v.Low95)], [.. forecast.Select(v => v.High95)], Colors.SteelBlue.WithAlpha(0.18), "95% interval");
        ChartParts.Band(plot, fx, [.. forecast.Select(v => v.Low80)], [.. forecast.Select(v => v.High80)], Colors.SteelBlue.WithAlpha(0.32), "80% interval");
        ChartParts.Line(plot, [.. pastMs.Select(X)], [.. past], Colors.Black, 1.5f, "observed");
        ChartParts.Line(plot, fx, [.. forecast.Select(v => v.Mean)], Colors.SteelBlue, 2, "forecast");
        ChartParts.LevelLines(plot, levels, (name, level) => $"{name} from {level:0}");

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.Axes.Title.Label.FontName = ChartFont.Family;
        plot.YLabel("people");
        var top = Math.Max(past.DefaultIfEmpty(0).Max(), forecast.Select(v => v.High95).DefaultIfEmpty(0).Max());
        plot.Axes.SetLimitsY(0, Math.Max(top, levels.Count > 1 ? levels[1] : top) * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1400, 600);
    }
}
