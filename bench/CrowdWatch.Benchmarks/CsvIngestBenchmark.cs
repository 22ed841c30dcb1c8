using BenchmarkDotNet.Attributes;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// CSV pings to binned counts end to end (read, parse, validate, pseudonymise with HMAC-SHA256, project, bin) on one
/// core. The reported time is per row.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CsvIngestBenchmark
{
    private string _path = null!;
    private Area _area = null!;

    [Params(2_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _area = SampleArea.Create();
        _path = Path.Combine(Path.GetTempPath(), $"crowdwatch-bench-{Rows}.csv");
        if (!File.Exists(_path)) new SyntheticPings(Rows, devices: 100_000).WriteCsv(_path);
    }

    [Benchmark]
    public long IngestCsv() => Ingest(_area, _path).Accepted;

    /// <summary>One full ingest of a file; shared with the memory run.</summary>
    public static IngestReport Ingest(Area area, string path)
    {
        using var binner = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, PingBinnerOptions.Default, static _ => { });
        var devices = new DeviceDirectory(new Pseudonymiser(PseudonymKey.Parse("benchmark-key-0123456789abcdef")));
        var ingest = new PingIngest(devices, binner, 150, TimeSpan.FromHours(2));
        var report = new IngestReport();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        ingest.ReadCsv(stream, path, new RejectLog(report));
        ingest.Complete();
        return report;
    }
}
