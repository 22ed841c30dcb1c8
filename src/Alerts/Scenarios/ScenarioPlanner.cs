using System.Diagnostics;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>Turns a scenario file into a plan over an area's history and runs it, with its baseline and the advice.</summary>
public static class ScenarioPlanner
{
    /// <summary>The walk network of <paramref name="area"/>, with each zone's own thresholds.</summary>
    public static WalkNetwork Network(Area area) =>
        new(area, [.. area.Zones.Zones.Select(z => LevelThresholds.For(z.Thresholds))]);

    /// <summary>The plan of <paramref name="file"/>: the baseline over its window read at its steps, times its changes.</summary>
    public static ScenarioPlan Plan(Area area, AreaPanels panels, SlotCalendar calendar, ScenarioFile file) => Plans(area, panels, calendar, file).Scenario;

    // The scenario's plan and its baseline's (the same window, the usual crowd alone), from one forecast of the window.
    private static (ScenarioPlan Scenario, ScenarioPlan Baseline) Plans(Area area, AreaPanels panels, SlotCalendar calendar, ScenarioFile file)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(file);
        var clock = area.NewClock();
        var first = clock.SlotStartMs(file.FromMs);
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var slots = (int)((clock.SlotStartMs(file.ToMs) - first) / slotMs) + 2;
        var baseline = ScenarioBaseline.Build(area, panels, calendar, file.Baseline, first, slots);
        double[][] Demand(double[]? factor) => ScenarioDemand.Build(baseline, first, area.Settings.SlotMinutes, file.FromMs, file.StepMinutes, file.Steps, factor);
        var scenario = new ScenarioPlan(file.Name, file.FromMs, file.StepMinutes, Demand(file.Factor), file.DwellMinutes, file.Events, file.Closures, file.Admissions);
        return (scenario, scenario with { Name = "baseline", Demand = Demand(null), Events = [], Closures = [], Admissions = [] });
    }

    /// <summary>Runs the scenario, its baseline and (if asked) the search for admission limits.</summary>
    public static ScenarioResult Run(WalkNetwork network, AreaPanels panels, SlotCalendar calendar, ScenarioFile file, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var (plan, usual) = Plans(network.Area, panels, calendar, file);
        var watch = Stopwatch.StartNew();
        var outcome = ScenarioRun.Simulate(network, plan);
        var simulateMs = watch.Elapsed.TotalMilliseconds;
        var baseline = ScenarioRun.Simulate(network, usual);
        AdmissionAdvice? advice = null;
        watch.Restart();
        if (file.Recommend && outcome.MaxLevel >= RiskLevel.Orange)
        {
            progress?.Report($"{file.Name}: searching the admission limits that keep every zone below Orange");
            advice = AdmissionAdvice.Recommend(network, outcome, RiskLevel.Orange, progress: progress);
        }

        return new ScenarioResult(file, outcome, baseline, advice, simulateMs, watch.Elapsed.TotalMilliseconds);
    }
}
