using BenchmarkDotNet.Attributes;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Zones;
using CrowdWatch.Simulation;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// One simulated day of the sample city, as <c>crowdwatch simulate</c> runs it: the people's itineraries, pings,
/// searches and true counts, then the pings and searches through the ingest and binning (files are not written).
/// The day is 1 October 2025, Golden Week's first day and the busiest of the sample.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SimulateBenchmark
{
    private Area _area = null!;
    private SimulationInputs _inputs = null!;

    /// <summary>People on an ordinary working day (Golden Week brings about twice as many).</summary>
    [Params(500_000)]
    public int People { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var file = DeploymentFile.Load(SampleDeployment.Locate());
        var problems = new List<LayerProblem>();
        _area = file.BuildArea(null, problems);
        _inputs = SimulationInputs.Load(_area, file.Entry(_area.Name), problems);
        if (problems.Count > 0) throw new InvalidOperationException(string.Join("; ", problems));
    }

    [Benchmark]
    public long SimulateAndIngestOneDay()
    {
        var options = new SimulationOptions { Seed = 1, People = People, PanelFactor = _area.Settings.PanelFactor };
        var simulator = new CitySimulator(_area, _inputs.Places, _inputs.Routes, _inputs.Water, _inputs.Calendar, _inputs.Gazetteer, options);
        var day = simulator.Simulate(new DateOnly(2025, 10, 1));
        var report = new IngestReport();
        var slots = 0L;
        using var binner = new PingBinner(_area.Name, _area.Grid, _area.NewClock(), _area.Zones, PingBinnerOptions.Default, _ => slots++);
        using var pseudonymiser = new Pseudonymiser(PseudonymKey.Parse("benchmark-key-0123456789abcdef"));
        var ingest = new PingIngest(new DeviceDirectory(pseudonymiser), binner, 150, TimeSpan.FromHours(2));
        ingest.ReadCsv(SimulatedCsv.Pings(day, options.Seed, options.MalformedRate), "pings", new RejectLog(report));
        ingest.Complete();
        var sums = new SumBinner(_area.Name, _area.Grid.Spec.CellCount, _area.NewClock(), TimeSpan.FromHours(1), _ => slots++);
        new SearchIngest(_area.Grid, sums, _inputs.Gazetteer).ReadCsv(SimulatedCsv.Searches(day, options.Seed, options.MalformedRate), "searches", new RejectLog(report));
        sums.Complete();
        return report.Accepted + slots;
    }
}
