using CrowdWatch.Forecast.Engine;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Engine;

public class ForecastEngineTests
{
    private const int PerDay = 96;
    private static readonly long Start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    // A three-day holiday from 1 October: its first, middle and last days are each a kind of day of their own.
    private static readonly SlotCalendar Calendar = new(
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
        new HolidayCalendar([new Holiday("Test Day", "测试节", new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 3), [])], []));

    // Weekly pattern plus reproducible noise, so that the calibration has errors to learn from.
    private static SlotPanel Panel(int days)
    {
        var random = new Random(7);
        return SlotPanel.Of([new SlotSeries("a", Start, 15, [.. Enumerable.Range(0, days * PerDay).Select(i => 200 + (50 * ((i / PerDay) % 7)) + (i % PerDay) + (random.NextDouble() * 40))])]);
    }

    [Fact]
    public void Holiday_days_of_a_kind_the_history_has_not_seen_are_widened_and_less_where_only_that_time_of_day_is_new()
    {
        // A four-day holiday, 1-4 October: a first day, two days between, a last day.
        var calendar = new SlotCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
            new HolidayCalendar([new Holiday("Test Day", "测试节", new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 4), [])], []));
        var engine = new ForecastEngine(new SeasonalNaive(7), new ForecastEngineOptions { Horizons = PerDay, UnprecedentedWidening = 2 });
        var panel = Panel(40);
        // From 30 September noon: the first 48 slots are an ordinary day, the next 48 the holiday's unseen first day.
        var beforeHoliday = engine.Widening(panel.Take((29 * PerDay) + 48), calendar);
        Assert.All(beforeHoliday[..48], w => Assert.Equal(1, w));
        Assert.All(beforeHoliday[48..], w => Assert.Equal(2, w));
        // From 2 October midnight the first day is known, but not a day between.
        Assert.All(engine.Widening(panel.Take(31 * PerDay), calendar), w => Assert.Equal(2, w));
        // From 2 October noon the history holds a day between's morning, not its afternoon: the afternoon past the
        // next three slots (which have history of their kind within the hour) is widened by the square root,
        // 3 October's morning not at all.
        var secondNoon = engine.Widening(panel.Take((31 * PerDay) + 48), calendar);
        Assert.All(secondNoon[..3], w => Assert.Equal(1, w));
        Assert.All(secondNoon[3..48], w => Assert.Equal(Math.Sqrt(2), w, 12));
        Assert.All(secondNoon[48..], w => Assert.Equal(1, w));
        // From 3 October noon its afternoon was seen the day before; the last day (4 October) has no precedent.
        var thirdNoon = engine.Widening(panel.Take((32 * PerDay) + 48), calendar);
        Assert.All(thirdNoon[..48], w => Assert.Equal(1, w));
        Assert.All(thirdNoon[48..], w => Assert.Equal(2, w));
        // Once the history holds the whole holiday, the next one's days are each seen.
        Assert.All(engine.Widening(panel.Take(39 * PerDay), calendar), w => Assert.Equal(1, w));
    }

    [Fact]
    public void After_a_crowd_the_first_hours_intervals_keep_its_scale_and_later_ones_do_not()
    {
        var panel = Panel(30);
        var origin = 20 * PerDay;
        var engine = new ForecastEngine(new SeasonalNaive(7), new ForecastEngineOptions { Horizons = 12, CalibrationDays = 7 });
        engine.Fit(panel.Take(origin), Calendar);
        // The last slot before the origin saw 20 000 people (a crowd passing); last week's naive forecast knows nothing of it.
        var values = panel.Values(0)[..origin].ToArray();
        values[^1] = 20_000;
        var crowd = engine.Forecast(SlotPanel.Of([new SlotSeries("a", Start, 15, values)]), Calendar);
        var plain = new ForecastEngine(new SeasonalNaive(7), new ForecastEngineOptions { Horizons = 12, CalibrationDays = 7 });
        plain.Fit(panel.Take(origin), Calendar);
        var usual = plain.Forecast(panel.Take(origin), Calendar);
        for (var h = 0; h < 12; h++)
        {
            var (width, usualWidth) = (crowd.High95[0][h] - crowd.Low95[0][h], usual.High95[0][h] - usual.Low95[0][h]);
            Assert.Equal(usual.Mean[0][h], crowd.Mean[0][h]);
            // The first hour (4 slots of 15 minutes) as wide as for a forecast of half the crowd; after it as usual.
            if (h < 4) Assert.True(width > 3 * usualWidth, $"horizon {h + 1}: {width:0} against {usualWidth:0}");
            else Assert.Equal(usualWidth, width, 6);
        }
    }

    [Fact]
    public void Intervals_and_level_probabilities_widen_on_an_unprecedented_holiday_only()
    {
        var panel = Panel(30);
        var origin = (29 * PerDay) + 48;
        PanelForecast Run(double widening)
        {
            var engine = new ForecastEngine(new SeasonalNaive(7), new ForecastEngineOptions { Horizons = PerDay, CalibrationDays = 7, UnprecedentedWidening = widening });
            engine.Fit(panel.Take(origin), Calendar);
            return engine.Forecast(panel.Take(origin), Calendar, [[450]]);
        }

        var plain = Run(1);
        var wide = Run(2);
        Assert.Equal(plain.Mean[0], wide.Mean[0]);
        for (var h = 0; h < PerDay; h++)
        {
            var mean = plain.Mean[0][h];
            var factor = h < 48 ? 1 : 2;
            Assert.Equal(factor * (plain.High90[0][h] - mean), wide.High90[0][h] - mean, 6);
            Assert.Equal(factor * (plain.High80[0][h] - mean), wide.High80[0][h] - mean, 6);
            if (h >= 48) Assert.True(wide.Exceedance[0][h][0] >= plain.Exceedance[0][h][0], $"h={h}: {wide.Exceedance[0][h][0]} < {plain.Exceedance[0][h][0]}");
            else Assert.Equal(plain.Exceedance[0][h][0], wide.Exceedance[0][h][0]);
        }

        Assert.Contains(Enumerable.Range(48, 48), h => wide.Exceedance[0][h][0] > plain.Exceedance[0][h][0] + 0.01);
    }
}
