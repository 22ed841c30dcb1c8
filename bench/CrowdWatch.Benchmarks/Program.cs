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

// "alerts-latency [ROUNDS] [POLL_MS]": counts written into the store to a webhook receiving the warning, through the real
// host on loopback; percentiles over 2 x ROUNDS warnings.
if (args.Length >= 1 && args[0] == "alerts-latency")
{
    await AlertLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 250);
    return;
}

// "first-forecast [load]": the main job's start in the real host (a child process): seconds from the page being served
// to the first forecast and to the first warning; "load" keeps every core busy with other processes meanwhile.
if (args.Length >= 1 && args[0] == "first-forecast")
{
    await FirstForecast.RunAsync(args.Length > 1 && args[1] == "load");
    return;
}

// "live-frames [CLIENTS] [CELLS] [FRAMES]": heat-map frames over the live hub from the real host (a child process) to
// CLIENTS SignalR clients on loopback, every one of CELLS cells changing each frame: size, delivery p50/p99, host CPU.
if (args.Length >= 1 && args[0] == "live-frames")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await LiveFrames.RunAsync(Arg(1, 1000), Arg(2, 10_000), Arg(3, 10));
    return;
}

// "cluster [ROWS] [NODES]": live ingest through real node processes: one on its own, then 1..NODES nodes on the Redis
// log; rows acknowledged per second, and ping-POST-to-frame at a browser-like client on node 1.
if (args.Length >= 1 && args[0] == "cluster")
{
    await ClusterIngest.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}

// "camara-retrieve [REQUESTS]": CAMARA /retrieve for a 2 km x 2 km polygon at precision 7 over 24 hours, against the
// real host in a child process; latency p50/p99.
if (args.Length >= 1 && args[0] == "camara-retrieve")
{
    await CamaraRetrieve.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50);
    return;
}

// "live-push [CLIENTS] [CELLS] [FRAMES] [NODES]": frames pushed on write (PostgreSQL NOTIFY) to CLIENTS dashboards in
// another process, over NODES nodes (more than one: the Redis backplane); store write to frame received, host CPU.
if (args.Length >= 1 && args[0] == "live-push")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    await LivePush.RunAsync(Arg(1, 1000), Arg(2, 10_000), Arg(3, 20), Arg(4, 1));
    return;
}

// "live-push-clients NODES CLIENTS AREA": the far end of live-push (started by it).
if (args.Length == 4 && args[0] == "live-push-clients")
{
    await LivePushClients.RunAsync(args[1].Split(','), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
    return;
}

// "fit-load [CELLS] [ROUNDS]": one tree fit quiet and with a spinning process per core, LightGBM and FastTree.
if (args.Length >= 1 && args[0] == "fit-load")
{
    FitUnderLoad.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 321, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}

// "forecast [CELLS]": the forecast engine on a synthetic city of CELLS cells (default 10 000) with eight weeks of
// 15-minute slots: one fit of the LightGBM model with its interval calibration (what the service does once a day),
// then forecasts of the next 48 slots for every cell (what it does every slot), timed, with peak memory.
if (args.Length >= 1 && args[0] == "forecast")
{
    var cellCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
    var panel = SyntheticPanel.Create(cellCount);
    var calendar = new CrowdWatch.Forecast.Series.SlotCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), CrowdWatch.Geo.Calendar.HolidayCalendar.Empty);
    var progress = new Progress<string>(m => Console.Error.WriteLine(m));
    var engine = new CrowdWatch.Forecast.Engine.ForecastEngine(new CrowdWatch.Forecast.Models.Trees.GradientBoostedTrees());
    var fit = Stopwatch.StartNew();
    engine.Fit(panel, calendar, progress);
    fit.Stop();
    var runs = new List<double>();
    for (var i = 0; i < 6; i++)
    {
        var sw = Stopwatch.StartNew();
        var forecast = engine.Forecast(panel, calendar);
        runs.Add(sw.Elapsed.TotalSeconds);
        if (forecast.Mean.Length != cellCount) throw new InvalidOperationException("a forecast per cell expected");
    }

    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"cells {cellCount:N0}, slots {panel.Length:N0}: fit with calibration {fit.Elapsed.TotalSeconds:0.0} s; forecast 48 slots, all cells: "
        + $"first {runs[0]:0.00} s, then min {runs.Skip(1).Min():0.00} s, median {runs.Skip(1).Order().ElementAt(2):0.00} s; peak working set {self.PeakWorkingSet64 / 1e9:0.00} GB"));
    return;
}

// "quick [DEVICES]": a fast check while tuning, in one process: exact ProjNET projection alone, the fast locate alone,
// binning with a fresh binner and as a stretch of a stream, of the same 4 M points, 15 rounds each interleaved, minimum and median per point. Interleaving puts
// all three in the same phase of a noisy machine, so their ratios hold even when absolute figures drift.
if (args.Length >= 1 && args[0] == "quick")
{
    var devices = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
    var pings = new SyntheticPings(4_000_000, devices);
    var area = SampleArea.Create();
    var cells = new int[pings.Lon.Length];
    var outcomes = new CrowdWatch.Geo.Binning.BinOutcome[pings.Lon.Length];
    var times = new Dictionary<string, List<double>> { ["ProjNET alone"] = [], ["fast locate"] = [], ["binning"] = [], ["streaming"] = [] };
    using var stream = new PingStream(area, pings);
    for (var round = 0; round < 16; round++)
    {
        var sw = Stopwatch.StartNew();
        BinningBenchmark.ProjectAll(area.Grid.Projection, pings);
        var projNet = sw.Elapsed.TotalNanoseconds / cells.Length;
        sw.Restart();
        area.Grid.LocateCells(pings.Lon, pings.Lat, cells);
        var locate = sw.Elapsed.TotalNanoseconds / cells.Length;
        sw.Restart();
        BinningBenchmark.Bin(area, pings, outcomes);
        var bin = sw.Elapsed.TotalNanoseconds / cells.Length;
        stream.NextStretch();
        sw.Restart();
        stream.BinStretch(outcomes);
        var streaming = sw.Elapsed.TotalNanoseconds / cells.Length;
        if (round == 0) continue; // warm-up
        times["streaming"].Add(streaming);
        times["ProjNET alone"].Add(projNet);
        times["fast locate"].Add(locate);
        times["binning"].Add(bin);
    }

    foreach (var (name, list) in times)
    {
        var t = list.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-14} min {t[0],6:0.00} ns/point ({1e3 / t[0],5:0.0} M/s)   median {t[t.Count / 2],6:0.00} ns/point ({1e3 / t[t.Count / 2],5:0.0} M/s)"));
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BinningBenchmark).Assembly).Run(args);
