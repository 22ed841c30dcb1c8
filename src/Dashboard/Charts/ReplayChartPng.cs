using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Replay;
using CrowdWatch.Alerts.Risk;
using ScottPlot;

namespace CrowdWatch.Dashboard.Charts;

/// <summary>A zone's replay as PNG: people against the level thresholds, and each alert event as a vertical line in its level's colour.</summary>
internal static class ReplayChartPng
{
    public static void Write(string path, ReplayResult result, int zone, TimeZoneInfo timeZone)
    {
        double X(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), timeZone).DateTime.ToOADate();
        var z = result.Zones[zone];
        var plot = new Plot();
        ChartParts.Line(plot, [.. result.SlotMs.Select(X)], result.People[zone], Colors.Black, 2, "people (observed)");
        ChartParts.LevelLines(plot, result.LevelPeople[zone], (name, level) => $"{name} from {level:0}");
        foreach (var e in result.Entries.Where(e => e.Change.Alert.Place.Id == ZonePlaces.Id(z.Zone) && e.Change.Kind is AlertChangeKind.Raised or AlertChangeKind.Updated))
        {
            var level = e.Change.Alert.Level;
            var colour = ChartParts.Levels[Math.Max(0, (int)level - 1)].Color;
            var line = plot.Add.VerticalLine(X(e.Change.AtMs), 2, colour);
            line.LinePattern = e.Change.Alert.Trigger.Kind == Alerts.Triggers.TriggerKind.Observed ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = $"{e.Change.Kind.ToString().ToLowerInvariant()} {level.Colour()} ({e.Change.Alert.Trigger.Kind})";
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{z.Zone}: alerts in the replay (dashed: forecast, surge or search; solid: observed)");
        plot.Axes.Title.Label.FontName = ChartFont.Family;
        plot.YLabel("people");
        var top = Math.Max(result.People[zone].DefaultIfEmpty(0).Max(), result.LevelPeople[zone].Length > 2 ? result.LevelPeople[zone][2] : 0);
        plot.Axes.SetLimitsY(0, top * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1400, 600);
    }
}
