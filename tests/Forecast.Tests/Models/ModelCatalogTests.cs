using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models;

public class ModelCatalogTests
{
    private const int PerDay = 96;
    private static readonly SlotCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), HolidayCalendar.Empty);
    private static readonly long Start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static SlotPanel Noisy()
    {
        var random = new Random(3);
        return SlotPanel.Of([.. Enumerable.Range(0, 4).Select(k => new SlotSeries($"p{k}", Start, 15,
            [.. Enumerable.Range(0, 21 * PerDay).Select(i => (k + 1) * (50 + (i % PerDay)) + (random.NextDouble() * 60))]))]);
    }

    [Fact]
    public void The_seed_decides_the_tree_models_draw_and_the_same_seed_repeats_it()
    {
        var panel = Noisy();
        double[] Forecast(int seed)
        {
            var model = ModelCatalog.Create("lightgbm", 2, seed: seed);
            model.Fit(panel, Calendar);
            return [.. model.Forecast(panel, 2, Calendar).SelectMany(f => f)];
        }

        var one = Forecast(1);
        Assert.Equal(one, Forecast(1));
        Assert.NotEqual(one, Forecast(5));
    }
}
