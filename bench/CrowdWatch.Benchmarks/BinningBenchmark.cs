using BenchmarkDotNet.Attributes;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// In-memory binning: lon/lat points to distinct-device counts per (cell, slot), projection included, on one core.
/// The reported time is per point; ProjNET projecting the same points is the baseline, so the ratio column says how
/// binning compares with a bare projection call per point in the same run, whatever the machine's phase.
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
    private PingStream _stream = null!;

    /// <summary>Devices in the data: their per-device state is what does not fit in cache.</summary>
    [Params(10_000, 100_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pings = new SyntheticPings(Points, Devices);
        _area = SampleArea.Create();
        _outcomes = new BinOutcome[Points];
        _stream = new PingStream(_area, _pings);
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    /// <summary>The yardstick: the same points through ProjNET one call each, nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double ProjNetAlone() => ProjectAll(_area.Grid.Projection, _pings);

    /// <summary>All points through a new binner, as one file ingest does (its one-off set-up costs included).</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int BinPoints() => Bin(_area, _pings, _outcomes);

    /// <summary>
    /// The same points as one more stretch of a live stream into a binner that stays up (the service's case): the
    /// one-off costs of a new binner (mapping its device states and pair buffers) are behind it. Shifting the
    /// timestamps for the stretch is timed too (a fraction of a nanosecond per point).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int BinStream()
    {
        _stream.NextStretch();
        return _stream.BinStretch(_outcomes);
    }

    /// <summary>Projects every point exactly; returns a sum so the work cannot be skipped.</summary>
    public static double ProjectAll(Projection projection, SyntheticPings pings)
    {
        var sum = 0.0;
        for (var i = 0; i < pings.Lon.Length; i++)
        {
            var (x, y) = projection.Forward(pings.Lon[i], pings.Lat[i]);
            sum += x + y;
        }

        return sum;
    }

    /// <summary>Bins every point with a fresh binner, as one ingest would; returns the number of slots closed.</summary>
    public static int Bin(Area area, SyntheticPings pings, BinOutcome[] outcomes)
    {
        var slots = 0;
        using var binner = new PingBinner(area.Name, area.Grid, area.NewClock(), null, PingBinnerOptions.Default, _ => slots++);
        binner.AddBatch(pings.Lon, pings.Lat, pings.UnixMs, pings.Device, outcomes);
        binner.Complete();
        return slots;
    }
}
