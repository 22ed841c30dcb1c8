using BenchmarkDotNet.Attributes;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Dashboard.Cli;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// A city-wide scenario on the sample city: all 9 728 cells of its grid (18 764 passages), 12 hours in 5-minute steps
/// (National Day 2026 with 30% more at Hongyadong): one run with its zone levels, warnings and risk points; the plan it
/// runs on (the usual crowd forecast from eight weeks of history, read at the steps); the walk network laid over the
/// grid; and the search for the admission limit.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ScenarioBenchmark
{
    private Area _area = null!;
    private AreaPanels _panels = null!;
    private SlotCalendar _calendar = null!;
    private WalkNetwork _network = null!;
    private ScenarioFile _file = null!;
    private ScenarioPlan _plan = null!;
    private ScenarioOutcome _outcome = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = SampleDeployment.Locate();
        var deployment = DeploymentFile.Load(path);
        _area = deployment.BuildArea(null, []);
        var entry = deployment.Entry(null);
        _calendar = AreaOptions.Calendar(_area, entry, TextWriter.Null);
        _panels = AreaPanels.LoadWide(_area, entry.HistoryPath!, new RejectLog(new IngestReport()));
        _network = ScenarioPlanner.Network(_area);
        var scenario = Path.Combine(Path.GetDirectoryName(path)!, "scenarios", "national-day-hongyadong-plus30.json");
        var problems = new List<string>();
        _file = ScenarioFile.Read(scenario, File.ReadAllText(scenario), _area, problems) ?? throw new InvalidDataException(string.Join("; ", problems));
        _plan = ScenarioPlanner.Plan(_area, _panels, _calendar, _file);
        _outcome = ScenarioRun.Simulate(_network, _plan);
        if (_network.Cells != _area.Grid.Spec.CellCount || _plan.Steps != 144) throw new InvalidOperationException("expected the whole grid for 144 steps");
    }

    /// <summary>One city-wide run: movement, levels, warnings, risk points.</summary>
    [Benchmark]
    public ScenarioOutcome Simulate() => ScenarioRun.Simulate(_network, _plan);

    /// <summary>The plan: the usual crowd forecast for the window and read at the steps, times the changes.</summary>
    [Benchmark]
    public ScenarioPlan Plan() => ScenarioPlanner.Plan(_area, _panels, _calendar, _file);

    /// <summary>The walk network: passage widths from the walkable layer, once per area.</summary>
    [Benchmark]
    public WalkNetwork Network() => ScenarioPlanner.Network(_area);

    /// <summary>The admission limit keeping every zone below Orange (bisection over full runs).</summary>
    [Benchmark]
    public AdmissionAdvice Recommend() => AdmissionAdvice.Recommend(_network, _outcome);
}
