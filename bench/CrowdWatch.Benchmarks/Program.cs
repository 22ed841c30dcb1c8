using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using CrowdWatch.Benchmarks;

// "memory ROWS": one ingest of a ROWS-row CSV in this process, printing rows/s and peak memory, so that runs of
// different sizes show whether memory grows with the file. Anything else goes to BenchmarkDotNet.
if (args.Length == 2 && args[0] == "memory")
{
    var rows = int.Parse(args[1], CultureInfo.InvariantCulture);
    var path = Path.Combine(Path.GetTempPath(), $"crowdwatch-bench-{rows}.csv");
    if (!File.Exists(path)) new SyntheticPings(rows, devices: 100_000).WriteCsv(path);
    var area = SampleArea.Create();
    GC.Collect();
    var before = Environment.WorkingSet;
    var clock = Stopwatch.StartNew();
    var report = CsvIngestBenchmark.Ingest(area, path);
    clock.Stop();
    using var self = Process.GetCurrentProcess();
    var info = GC.GetGCMemoryInfo();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rows {report.Rows:N0}, file {new FileInfo(path).Length / 1e6:0} MB, {report.Rows / clock.Elapsed.TotalSeconds / 1e6:0.00} M rows/s, "
        + $"peak working set {self.PeakWorkingSet64 / 1e6:0} MB (at start {before / 1e6:0} MB), GC heap after {info.HeapSizeBytes / 1e6:0} MB, "
        + $"allocated {GC.GetTotalAllocatedBytes() / 1e6:0} MB"));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BinningBenchmark).Assembly).Run(args);
