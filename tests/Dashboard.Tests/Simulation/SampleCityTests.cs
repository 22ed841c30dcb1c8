using System.IO.Compression;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Zones;
using Xunit.Abstractions;

namespace CrowdWatch.Dashboard.Tests.Simulation;

/// <summary>The shipped sample city: its layers load cleanly and its simulated data keeps the simulator's promises.</summary>
public class SampleCityTests(ITestOutputHelper output)
{
    private static readonly string DeploymentPath = SampleDeployment.Locate();
    private static readonly string SampleDir = Path.GetDirectoryName(Path.GetFullPath(DeploymentPath))!;
    private static readonly string Simulated = Path.Combine(SampleDir, "simulated");
    private static readonly Lazy<(Area Area, DeploymentFile.AreaEntry Entry)> Sample = new(() =>
    {
        var file = DeploymentFile.Load(DeploymentPath);
        var problems = new List<LayerProblem>();
        var area = file.BuildArea(null, problems);
        Assert.Empty(problems);
        return (area, file.Entry(area.Name));
    });

    private static readonly Lazy<History> Shipped = new(() => History.Load(Path.Combine(Simulated, "history.csv.gz")));

    [Fact]
    public void Sample_data_is_small_enough_to_ship()
    {
        var samples = Path.GetDirectoryName(SampleDir)!;
        var bytes = Directory.EnumerateFiles(samples, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        output.WriteLine($"data/samples: {bytes / 1e6:0.0} MB");
        Assert.InRange(bytes, 1, 25L * 1024 * 1024);
    }

    [Fact]
    public void Sample_layers_name_the_places_the_issue_lists_and_the_calendar_reads_without_problems()
    {
        var area = Sample.Value.Area;
        var names = area.Zones.Zones.Select(z => z.Name).ToHashSet();
        foreach (var required in new[] { "jiefangbei", "hongyadong", "chaotianmen", "raffles", "cableway", "xinhualu", "shibati", "qiansimen", "greathall", "liziba", "ciqikou" })
            Assert.Contains(required, names);
        Assert.All(area.Zones.Zones, z => Assert.True(z.Capacity > 0 && z.WalkableAreaM2 > 0, z.Name));
        var problems = new List<LayerProblem>();
        var calendar = CalendarReader.Read(File.ReadAllText(Sample.Value.Entry.CalendarPath!), "calendar.json", problems);
        Assert.Empty(problems);
        Assert.Equal(DayKind.Holiday, calendar.KindOf(new DateOnly(2025, 10, 8)));
        Assert.Equal(DayKind.Workday, calendar.KindOf(new DateOnly(2025, 10, 11)));
    }

    [Fact]
    public void Hongyadong_reaches_red_on_a_golden_week_evening_and_stays_below_blue_on_weekday_mornings()
    {
        var (area, _) = Sample.Value;
        var history = Shipped.Value;
        var z = area.Zones.Zones.ToList().FindIndex(z => z.Name == "hongyadong");
        var walkable = area.Zones.Zones[z].WalkableAreaM2!.Value;
        var calendar = CalendarReader.Read(File.ReadAllText(Sample.Value.Entry.CalendarPath!), "calendar.json", []);
        var goldenEvenings = new List<double>();
        var weekdayMornings = new List<double>();
        foreach (var (start, people) in history.Truth)
        {
            var local = start.ToOffset(TimeSpan.FromHours(8));
            var density = area.Zones.ZonePeople(z, people) / walkable;
            var date = DateOnly.FromDateTime(local.DateTime);
            if (date >= new DateOnly(2025, 10, 1) && date <= new DateOnly(2025, 10, 7) && local.Hour is >= 18 and < 23) goldenEvenings.Add(density);
            if (calendar.KindOf(date) == DayKind.Workday && local.Hour is >= 7 and < 10) weekdayMornings.Add(density);
        }

        output.WriteLine($"Golden Week evenings up to {goldenEvenings.Max():0.000}, working-day mornings up to {weekdayMornings.Max():0.000} persons/m²");
        Assert.NotEmpty(weekdayMornings);
        Assert.True(goldenEvenings.Max() > 4.0, $"peak {goldenEvenings.Max():0.00} persons/m²");
        Assert.True(weekdayMornings.Max() < 1.5, $"weekday mornings up to {weekdayMornings.Max():0.00} persons/m²");
    }

    [Fact]
    public void Shipped_history_has_weekly_rhythm_and_a_golden_week_surge_at_jiefangbei_and_hongyadong()
    {
        var (area, entry) = Sample.Value;
        var calendar = CalendarReader.Read(File.ReadAllText(entry.CalendarPath!), "calendar.json", []);
        foreach (var name in new[] { "jiefangbei", "hongyadong" })
        {
            var z = area.Zones.Zones.ToList().FindIndex(x => x.Name == name);
            var evening = new Dictionary<DayKind, List<double>> { [DayKind.Workday] = [], [DayKind.Weekend] = [], [DayKind.Holiday] = [] };
            var golden = new List<double>();
            foreach (var (start, people) in Shipped.Value.Truth)
            {
                var local = start.ToOffset(TimeSpan.FromHours(8));
                if (local.Hour is < 19 or >= 22) continue;
                var date = DateOnly.FromDateTime(local.DateTime);
                var p = area.Zones.ZonePeople(z, people);
                evening[calendar.KindOf(date)].Add(p);
                if (date >= new DateOnly(2025, 10, 1) && date <= new DateOnly(2025, 10, 7)) golden.Add(p);
            }

            output.WriteLine($"{name}, 19-22 h mean people: working day {evening[DayKind.Workday].Average():0}, weekend {evening[DayKind.Weekend].Average():0}, Golden Week {golden.Average():0}");
            Assert.True(evening[DayKind.Weekend].Average() > 1.2 * evening[DayKind.Workday].Average(), name);
            Assert.True(golden.Average() > 2.5 * evening[DayKind.Weekend].Average(), $"{name}: golden week {golden.Average():0} vs weekend {evening[DayKind.Weekend].Average():0}");
        }
    }

    [Fact]
    public void Ingesting_the_raw_evening_reproduces_the_shipped_binned_counts()
    {
        var (area, entry) = Sample.Value;
        var binned = new Dictionary<(long, string), double[]>();
        void Sink(SlotCounts c)
        {
            if (c.Devices is { } d) binned[(c.SlotStartMs, "devices")] = Array.ConvertAll(d, v => (double)v);
            if (c.Inflow is { } i) binned[(c.SlotStartMs, "inflow")] = Array.ConvertAll(i, v => (double)v);
            if (c.Search is { } s) binned[(c.SlotStartMs, "search")] = s;
        }

        var report = new IngestReport();
        using (var binner = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, PingBinnerOptions.Default with { PanelFactor = area.Settings.PanelFactor }, Sink))
        using (var pseudonymiser = new Pseudonymiser(PseudonymKey.Parse("sample-city-test-key-0123456789")))
        using (var pings = new GZipStream(File.OpenRead(Path.Combine(Simulated, "pings.csv.gz")), CompressionMode.Decompress))
        {
            var ingest = new PingIngest(new DeviceDirectory(pseudonymiser), binner, 150, TimeSpan.FromHours(2));
            ingest.ReadCsv(pings, "pings.csv.gz", new RejectLog(report));
            ingest.Complete();
        }

        using (var searches = new GZipStream(File.OpenRead(Path.Combine(Simulated, "searches.csv.gz")), CompressionMode.Decompress))
        using (var poi = File.OpenRead(entry.PoiPath!))
        {
            var sums = new SumBinner(area.Name, area.Grid.Spec.CellCount, area.NewClock(), TimeSpan.FromHours(1), Sink);
            new SearchIngest(area.Grid, sums, PoiGazetteer.Load(poi, "poi.csv", new RejectLog(new IngestReport()))).ReadCsv(searches, "searches.csv.gz", new RejectLog(report));
            sums.Complete();
        }

        Assert.True(report.Rejected > 0, "the raw sample carries malformed rows");
        // Slots wholly inside the raw window (19:00 to 22:00 on 1 October); flows only once the flow gap (30 min) has passed.
        var from = new DateTimeOffset(2025, 10, 1, 19, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var to = from + (3 * 3_600_000L);
        var compared = 0;
        foreach (var ((ms, channel), values) in Shipped.Value.Rows)
        {
            if (ms < from || ms >= to || channel is not ("devices" or "inflow" or "search")) continue;
            if (channel == "inflow" && ms < from + (30 * 60_000)) continue;
            Assert.True(binned.TryGetValue((ms, channel), out var mine), $"{channel} at {DateTimeOffset.FromUnixTimeMilliseconds(ms)}");
            for (var i = 0; i < Shipped.Value.Cells.Length; i++) Assert.Equal(values[i], mine![Shipped.Value.Cells[i]]);
            compared++;
        }

        output.WriteLine($"{compared} slot rows of {Shipped.Value.Cells.Length} cells identical; ingest {report}");
        Assert.True(compared >= 12 + 10 + 6, $"{compared} slot rows compared");
    }

    /// <summary>The shipped history: rows by (slot, channel) and the truth per slot spread over all cells.</summary>
    private sealed class History
    {
        public int[] Cells { get; private set; } = [];

        public Dictionary<(long Ms, string Channel), double[]> Rows { get; } = [];

        public List<(DateTimeOffset Start, double[] People)> Truth { get; } = [];

        public static History Load(string path)
        {
            var history = new History();
            var cellCount = Sample.Value.Area.Grid.Spec.CellCount;
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            var log = new RejectLog(new IngestReport());
            history.Cells = WideSeries.Read(gz, path, log, (ms, channel, _, values) => history.Rows[(ms, channel)] = values);
            foreach (var ((ms, channel), values) in history.Rows.Where(r => r.Key.Channel == "truth").OrderBy(r => r.Key.Ms))
            {
                var people = new double[cellCount];
                for (var i = 0; i < values.Length; i++) people[history.Cells[i]] = values[i];
                history.Truth.Add((DateTimeOffset.FromUnixTimeMilliseconds(ms), people));
            }

            Assert.Equal(0, log.Report.Rejected);
            return history;
        }
    }
}
