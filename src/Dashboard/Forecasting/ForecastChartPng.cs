using CrowdWatch.Dashboard.Heatmap;
using CrowdWatch.Forecast.Storage;
using ScottPlot;

namespace CrowdWatch.Dashboard.Forecasting;

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
        var band95 = plot.Add.FillY(fx, forecast.Select(v => v.Low95).ToArray(), forecast.Select(v => v.High95).ToArray());
        band95.FillColor = Colors.SteelBlue.WithAlpha(0.18);
        band95.LineWidth = 0;
        band95.LegendText = "95% interval";
        var band80 = plot.Add.FillY(fx, forecast.Select(v => v.Low80).ToArray(), forecast.Select(v => v.High80).ToArray());
        band80.FillColor = Colors.SteelBlue.WithAlpha(0.32);
        band80.LineWidth = 0;
        band80.LegendText = "80% interval";
        var observed = plot.Add.Scatter(pastMs.Select(X).ToArray(), past.ToArray());
        observed.MarkerSize = 0;
        observed.Color = Colors.Black;
        observed.LineWidth = 1.5f;
        observed.LegendText = "observed";
        var mean = plot.Add.Scatter(fx, forecast.Select(v => v.Mean).ToArray());
        mean.MarkerSize = 0;
        mean.Color = Colors.SteelBlue;
        mean.LineWidth = 2;
        mean.LegendText = "forecast";
        for (var i = 0; i < levels.Count && i < LevelColours.Levels.Length; i++)
        {
            var line = plot.Add.HorizontalLine(levels[i]);
            line.Color = LevelColours.Levels[i].Color;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"{LevelColours.Levels[i].Name} from {levels[i]:0}";
        }

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
