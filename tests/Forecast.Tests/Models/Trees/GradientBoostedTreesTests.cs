using CrowdWatch.Forecast.Engine;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Models.Trees;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models.Trees;

public class GradientBoostedTreesTests
{
    private const int PerDay = 96;
    private static readonly SlotCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), HolidayCalendar.Empty);
    private static readonly long Start = new DateTimeOffset(2025, 8, 18, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    private static readonly TreeModelOptions Small = new() { Horizons = 8, Trees = 60, RowsPerGroup = 20_000, Leaves = 15 };

    // Places of different sizes with a daily rhythm (busier weekends) and count noise.
    private static SlotPanel City(int places, int days, int seed, double testSurge = 0, int testStart = int.MaxValue)
    {
        var random = new Random(seed);
        var values = new double[places][];
        for (var p = 0; p < places; p++)
        {
            var level = 5 + (p * 20);
            values[p] = [.. Enumerable.Range(0, days * PerDay).Select(t =>
            {
                var hour = t % PerDay / 4.0;
                var mean = level * (1.2 + Math.Sin((hour - 6) * Math.PI / 12)) * (t / PerDay % 7 >= 5 ? 1.5 : 1);
                return Math.Max(0, Math.Round(mean + (Math.Sqrt(mean) * (random.NextDouble() - 0.5) * 2))) + (t >= testStart ? testSurge : 0);
            })];
        }

        return new SlotPanel([.. Enumerable.Range(0, places).Select(p => $"p{p}")], Start, 15, values,
            neighbours: [.. Enumerable.Range(0, places).Select(p => new[] { (p + 1) % places })]);
    }

    private static double Rmse(SlotPanel panel, double[][] forecast, int origin, int horizon) =>
        Math.Sqrt(Enumerable.Range(0, panel.Count).Average(s => Math.Pow(panel.Values(s)[origin + horizon - 1] - forecast[s][horizon - 1], 2)));

    [Fact]
    public void The_tree_model_learns_a_daily_rhythm_across_places_and_beats_yesterdays_value()
    {
        var city = City(places: 12, days: 28, seed: 1);
        var cut = 21 * PerDay;
        var trees = new GradientBoostedTrees(Small);
        trees.Fit(city.Take(cut), Calendar);
        double tree = 0, naive = 0;
        for (var origin = cut; origin < city.Length - 8; origin += 7)
        {
            var history = city.Take(origin);
            tree += Rmse(city, trees.Forecast(history, 8, Calendar), origin, 1);
            naive += Rmse(city, new SeasonalNaive(1).Forecast(history, 8, Calendar), origin, 1);
        }

        Assert.True(tree < 0.8 * naive, $"tree {tree:0.0} against yesterday's value {naive:0.0}");
    }

    [Fact]
    public void A_signal_planted_only_in_the_test_window_changes_neither_the_fit_nor_the_forecast_from_before_it()
    {
        var cut = 20 * PerDay;
        var clean = City(places: 6, days: 24, seed: 2);
        var planted = City(places: 6, days: 24, seed: 2, testSurge: 50_000, testStart: cut);
        Assert.Equal(50_000, planted.Values(0)[cut] - clean.Values(0)[cut]);

        double[][] Run(SlotPanel panel)
        {
            var engine = new ForecastEngine(new GradientBoostedTrees(Small), new ForecastEngineOptions { Horizons = 8, CalibrationDays = 3 });
            engine.Fit(panel.Take(cut), Calendar);
            return engine.Forecast(panel.Take(cut), Calendar).High90;
        }

        var a = Run(clean);
        var b = Run(planted);
        for (var s = 0; s < a.Length; s++) Assert.Equal(a[s], b[s]);
        Assert.All(b, f => Assert.True(f.Max() < 10_000));
    }

    [Fact]
    public void Horizons_are_grouped_in_doubling_spans()
    {
        Assert.Equal([0, 1, 2, 2, 3, 3, 3, 3, 4], Enumerable.Range(1, 9).Select(GradientBoostedTrees.Group));
        Assert.Equal(5, GradientBoostedTrees.Group(17));
        Assert.Equal(6, GradientBoostedTrees.Group(48));
    }
}
