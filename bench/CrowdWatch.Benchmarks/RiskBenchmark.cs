using BenchmarkDotNet.Attributes;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// Risk evaluation of one slot for a whole city: every cell's density and level (the per-slot hot path), and the
/// risk points of the hot cells (about 1% of them, in a few dozen clusters) merged by NetTopologySuite.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RiskBenchmark
{
    private double[] _people = null!;
    private double[] _walkable = null!;
    private double[] _density = null!;
    private RiskLevel[] _levels = null!;
    private List<CellOutlook> _outlooks = null!;

    /// <summary>Cells in the city.</summary>
    [Params(100_000)]
    public int Cells { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _people = new double[Cells];
        _walkable = new double[Cells];
        _density = new double[Cells];
        _levels = new RiskLevel[Cells];
        var side = (int)Math.Sqrt(Cells);
        for (var i = 0; i < Cells; i++)
        {
            _walkable[i] = 500 + (random.NextDouble() * 3000);
            // Quiet everywhere but in 40 hot blocks of about 5 x 5 cells.
            _people[i] = _walkable[i] * random.NextDouble() * 0.8;
        }

        for (var b = 0; b < 40; b++)
        {
            var (r0, c0) = (random.Next(side - 5), random.Next(side - 5));
            for (var r = r0; r < r0 + 5; r++)
                for (var c = c0; c < c0 + 5; c++)
                    _people[(r * side) + c] = _walkable[(r * side) + c] * (1.5 + (random.NextDouble() * 3));
        }

        _outlooks = [.. Enumerable.Range(0, Cells).Select(i => new CellOutlook(i, i / side, i % side, _walkable[i], _people[i] / _walkable[i], _people[i] / _walkable[i] * 1.1, 0, 0, 0))];
    }

    /// <summary>Density and level of every cell.</summary>
    [Benchmark(Baseline = true)]
    public int CellLevels() => CellRisk.Evaluate(_people, _walkable, LevelThresholds.Default, _density, _levels).Warned;

    /// <summary>The risk points of the same slot.</summary>
    [Benchmark]
    public int Points() => RiskPoints.Find(_outlooks, LevelThresholds.Default).Count;
}
