using System.Security.Cryptography;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using NetTopologySuite.Geometries;
using Xunit.Abstractions;

namespace CrowdWatch.Simulation.Tests;

public class SimulatorTests(ITestOutputHelper output)
{
    private static readonly GeometryFactory Factory = new();
    private static readonly Area Area = new(new AreaSettings
    {
        Name = "t",
        Grid = new GridDefinition { Bounds = new GeoBounds(106.560, 29.550, 106.595, 29.570), CellSizeM = 100 },
        PanelFactor = 0.2,
    }, [], []);

    private static readonly HolidayCalendar Calendar = new(
        [new Holiday("National Day", "国庆节", new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 8), [new DateOnly(2025, 9, 28)])],
        [new CrowdEvent("night view", "夜景", "view", new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 7), new TimeOnly(19, 0), new TimeOnly(22, 0), 4000)]);

    private static Polygon Box(double lon, double lat, double half) =>
        Factory.CreatePolygon([new(lon - half, lat - half), new(lon + half, lat - half), new(lon + half, lat + half), new(lon - half, lat + half), new(lon - half, lat - half)]);

    private static CitySimulator Simulator(int seed, double malformed = 0.001, int people = 20_000)
    {
        SimPlace[] places =
        [
            new("view", PlaceKind.Scenic, Box(106.5790, 29.5630, 0.0008), 5000, 2),
            new("mall", PlaceKind.Shopping, Box(106.5772, 29.5575, 0.0012), 8000),
            new("station", PlaceKind.Transit, Box(106.5860, 29.5540, 0.0004), 2000),
        ];
        var gazetteer = new PoiGazetteer();
        gazetteer.Add(new Poi("view", "洪崖洞", "Hongyadong", ["洪崖洞夜景"], 29.5630, 106.5790));
        gazetteer.Add(new Poi("mall", "解放碑", "Jiefangbei", [], 29.5575, 106.5772));
        var road = Factory.CreateLineString([new(106.5790, 29.5630), new(106.5780, 29.5600), new(106.5772, 29.5575), new(106.5860, 29.5540)]);
        var routes = new RouteNetwork([road], LocalFrame.At(29.56));
        return new CitySimulator(Area, places, routes, [], Calendar, gazetteer,
            new SimulationOptions { Seed = seed, People = people, PanelFactor = 0.2, MalformedRate = malformed });
    }

    private static byte[] Csv(Stream csv)
    {
        using var copy = new MemoryStream();
        csv.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void Same_seed_gives_byte_identical_output_and_another_seed_differs()
    {
        var date = new DateOnly(2025, 10, 1);
        var a = Simulator(7).Simulate(date);
        var b = Simulator(7).Simulate(date);
        var c = Simulator(8).Simulate(date);
        var pingsA = Csv(SimulatedCsv.Pings(a, 7, 0.001));
        Assert.True(pingsA.Length > 10_000);
        Assert.Equal(SHA256.HashData(pingsA), SHA256.HashData(Csv(SimulatedCsv.Pings(b, 7, 0.001))));
        Assert.Equal(SHA256.HashData(Csv(SimulatedCsv.Searches(a, 7, 0.001))), SHA256.HashData(Csv(SimulatedCsv.Searches(b, 7, 0.001))));
        Assert.Equal(a.Truth, b.Truth);
        Assert.NotEqual(SHA256.HashData(pingsA), SHA256.HashData(Csv(SimulatedCsv.Pings(c, 8, 0.001))));
        Assert.NotEqual(a.Truth, c.Truth);
    }

    [Fact]
    public void A_time_window_holds_exactly_the_rows_of_the_whole_day_in_it()
    {
        var day = Simulator(3).Simulate(new DateOnly(2025, 10, 1));
        var from = day.DayStartUtcMs + (19 * 3_600_000L);
        var to = from + 3_600_000L;
        var whole = System.Text.Encoding.UTF8.GetString(Csv(SimulatedCsv.Pings(day, 3, 0.01))).Split('\n');
        var window = System.Text.Encoding.UTF8.GetString(Csv(SimulatedCsv.Pings(day, 3, 0.01, from, to))).Split('\n');
        var inWindow = whole.Skip(1).Where(l => l.Length > 13 && long.TryParse(l.AsSpan(0, 13), out var ms) && ms >= from && ms < to).ToList();
        Assert.True(inWindow.Count > 100);
        Assert.Equal(whole[0], window[0]);
        Assert.Equal(inWindow, window.Skip(1).Where(l => l.Length > 13 && long.TryParse(l.AsSpan(0, 13), out _)).ToList());
    }

    [Fact]
    public void Malformed_rows_come_at_the_configured_rate_and_the_ingest_rejects_exactly_them()
    {
        var day = Simulator(5).Simulate(new DateOnly(2025, 10, 2));
        var csv = SimulatedCsv.Pings(day, 5, 0.01);
        var report = new IngestReport();
        using var binner = new PingBinner("t", Area.Grid, Area.NewClock(), null, PingBinnerOptions.Default, _ => { });
        using var pseudonymiser = new Pseudonymiser(PseudonymKey.Parse("simulator-test-key-0123456789"));
        var ingest = new PingIngest(new DeviceDirectory(pseudonymiser), binner, 150, TimeSpan.FromHours(2));
        ingest.ReadCsv(csv, "sim.csv", new RejectLog(report));
        ingest.Complete();
        Assert.Equal(csv.Rows, report.Rows);
        output.WriteLine($"{csv.Malformed} malformed of {csv.Rows} rows = {csv.Malformed / (double)csv.Rows:P3}; rejected {report.Rejected}");
        Assert.InRange(csv.Malformed / (double)csv.Rows, 0.008, 0.012);
        Assert.Equal(csv.Malformed, report.Rejected);
        Assert.True(report.Duplicates > 0, "devices seen by two sources give duplicates");
    }

    [Fact]
    public void Searches_lead_arrivals_by_one_to_three_hours()
    {
        var day = Simulator(11).Simulate(new DateOnly(2025, 10, 3));
        // Arrivals at the view, by hour, and searches for it that lead to a visit, by hour.
        var arrivals = day.Arrivals[0];
        var searches = new double[24];
        for (var i = 0; i < day.SearchMs.Length; i++)
            if (day.SearchLeadsToVisit[i] && day.SearchQuery[i] is "洪崖洞" or "Hongyadong" or "洪崖洞夜景")
                searches[(int)((day.SearchMs[i] - day.DayStartUtcMs) / 3_600_000)]++;

        // The searches' profile matches the arrivals' best when shifted by one to three hours, not at zero lag.
        double Correlation(int lag)
        {
            var x = Enumerable.Range(0, 24 - lag).Select(h => searches[h]).ToArray();
            var y = Enumerable.Range(lag, 24 - lag).Select(h => (double)arrivals[h]).ToArray();
            var mx = x.Average();
            var my = y.Average();
            return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        }

        var best = Enumerable.Range(0, 5).MaxBy(Correlation);
        output.WriteLine(string.Join(", ", Enumerable.Range(0, 5).Select(l => $"lag {l} h: r = {Correlation(l):0.000}")));
        Assert.InRange(best, 1, 3);
        Assert.True(Correlation(best) > Correlation(0) + 0.05);
        Assert.Contains(day.SearchLeadsToVisit, v => !v);
    }

    [Fact]
    public void Holiday_evenings_are_busier_than_weekends_and_weekday_mornings_are_quiet()
    {
        var sim = Simulator(2);
        double ViewPeople(SimulatedDay day, int hour)
        {
            var view = Area.Grid.TryLocateCell(106.5790, 29.5630);
            var slot = hour * 60 / day.SlotMinutes;
            var sum = 0.0;
            // The view's 3 x 3 cells around its centre.
            var cell = Area.Grid.CellAt(view);
            for (var dr = -1; dr <= 1; dr++)
                for (var dc = -1; dc <= 1; dc++)
                    sum += day.Truth[(slot * day.Cells) + Area.Grid.CellAt(cell.Row + dr, cell.Col + dc).Id];
            return sum;
        }

        var holiday = sim.Simulate(new DateOnly(2025, 10, 2));  // Golden Week, Thursday
        var weekend = sim.Simulate(new DateOnly(2025, 10, 12)); // Sunday
        var workday = sim.Simulate(new DateOnly(2025, 10, 14)); // Tuesday
        Assert.True(ViewPeople(holiday, 20) > 2 * ViewPeople(weekend, 20), $"{ViewPeople(holiday, 20)} vs {ViewPeople(weekend, 20)}");
        Assert.True(ViewPeople(weekend, 20) > ViewPeople(workday, 20), $"{ViewPeople(weekend, 20)} vs {ViewPeople(workday, 20)}");
        Assert.True(ViewPeople(workday, 9) < 0.5 * ViewPeople(workday, 20), $"{ViewPeople(workday, 9)} vs {ViewPeople(workday, 20)}");
        Assert.True(holiday.PeoplePresent > weekend.PeoplePresent && weekend.PeoplePresent > workday.PeoplePresent,
            $"{holiday.PeoplePresent}, {weekend.PeoplePresent}, {workday.PeoplePresent}");
    }
}
