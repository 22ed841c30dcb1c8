using BenchmarkDotNet.Attributes;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// In-memory binning: lon/lat points to distinct-device counts per (cell, slot), projection included, on one core.
/// The reported time is per point.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class BinningBenchmark
{
    private const int Points = 4_000_000;
    private SyntheticPings _pings = null!;
    private Area _area = null!;
    private BinOutcome[] _outcomes = null!;

    /// <summary>Devices in the data: their per-device state is what does not fit in cache.</summary>
    [Params(10_000, 100_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pings = new SyntheticPings(Points, Devices);
        _area = SampleArea.Create();
        _outcomes = new BinOutcome[Points];
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public int BinPoints()
    {
        var slots = 0;
        var binner = new PingBinner(_area.Name, _area.Grid, _area.NewClock(), null, PingBinnerOptions.Default, _ => slots++);
        binner.AddBatch(_pings.Lon, _pings.Lat, _pings.UnixMs, _pings.Device, _outcomes);
        binner.Complete();
        return slots;
    }
}
