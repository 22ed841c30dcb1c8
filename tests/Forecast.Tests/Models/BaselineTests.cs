using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models;

public class BaselineTests
{
    private const int SlotMinutes = 15;
    private const int PerDay = 96;
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Monday 2025-09-01 00:00 local.
    private static readonly long Start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static double[] One(IForecastModel model, SlotSeries history, int horizons, SlotCalendar calendar) =>
        model.Forecast(SlotPanel.Of([history]), horizons, calendar)[0];

    private static SlotCalendar Calendar(params Holiday[] holidays) => new(Shanghai, new HolidayCalendar(holidays, []));

    // A pattern that differs by weekday and by time of day, as crowds do; holidays have a pattern of their own.
    private static double Weekly(int dayIndex, int slot, bool holiday) =>
        holiday ? 500 + (slot * 3) : 100 + (40 * (dayIndex % 7)) + (50 * Math.Sin(slot * Math.PI / PerDay));

    private static SlotSeries Series(int days, SlotCalendar calendar, Func<int, int, bool, double>? pattern = null)
    {
        pattern ??= Weekly;
        var values = new double[days * PerDay];
        for (var i = 0; i < values.Length; i++)
        {
            var at = Start + (i * SlotMinutes * 60_000L);
            values[i] = pattern(i / PerDay, i % PerDay, calendar.DayClass(at) == SlotCalendar.HolidayClass);
        }

        return new SlotSeries("cell-1", Start, SlotMinutes, values);
    }

    [Fact]
    public void A_pure_weekly_pattern_is_forecast_exactly_by_last_week_and_the_historical_average_but_not_by_yesterday()
    {
        var calendar = Calendar();
        var full = Series(30, calendar);
        var history = full.Take(28 * PerDay);
        var actual = full.Values[(28 * PerDay)..];
        Assert.Equal(actual, One(new SeasonalNaive(7), history, 2 * PerDay, calendar));
        var average = One(new HistoricalAverage(), history, 2 * PerDay, calendar);
        for (var h = 0; h < actual.Length; h++) Assert.Equal(actual[h], average[h], 9);
        var yesterday = One(new SeasonalNaive(1), history, 2 * PerDay, calendar);
        Assert.True(actual.Zip(yesterday).Max(p => Math.Abs(p.First - p.Second)) >= 39, "yesterday's weekday differs by 40");
    }

    [Fact]
    public void The_historical_average_compares_a_holiday_with_holidays_not_with_its_weekday()
    {
        // Thursday 4 September and Friday 26 September are holidays; the forecast is for the 26th.
        var calendar = Calendar(
            new Holiday("Test day", "测试", new DateOnly(2025, 9, 4), new DateOnly(2025, 9, 4), []),
            new Holiday("Test day 2", "测试二", new DateOnly(2025, 9, 26), new DateOnly(2025, 9, 26), []));
        var full = Series(26, calendar);
        var history = full.Take(25 * PerDay);
        var forecast = One(new HistoricalAverage(), history, PerDay, calendar);
        for (var slot = 0; slot < PerDay; slot++) Assert.Equal(Weekly(25, slot, holiday: true), forecast[slot], 9);
        // Last week's Friday was an ordinary Friday: the seasonal naive cannot know.
        Assert.NotEqual(Weekly(25, 40, holiday: true), One(new SeasonalNaive(7), history, PerDay, calendar)[40]);
    }

    [Fact]
    public void The_historical_average_forecasts_a_window_a_year_ahead_from_the_days_of_its_kind()
    {
        // A holiday on Thursday 4 September 2025 in the history; the window asked for is the same holiday a year on,
        // Friday 4 September 2026 from 18:00, and the Saturday after it.
        var calendar = Calendar(
            new Holiday("Test day", "测试", new DateOnly(2025, 9, 4), new DateOnly(2025, 9, 4), []),
            new Holiday("Test day", "测试", new DateOnly(2026, 9, 4), new DateOnly(2026, 9, 4), []));
        var history = SlotPanel.Of([Series(28, calendar)]);
        var from = new DateTimeOffset(2026, 9, 4, 18, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var forecast = new HistoricalAverage().ForecastFrom(history, from, PerDay, calendar)[0];
        for (var h = 0; h < PerDay; h++)
        {
            var slot = (72 + h) % PerDay;
            // Until midnight the holiday's pattern; then a Saturday's (day index 5 in the history is a Saturday).
            Assert.Equal(h < 24 ? Weekly(0, slot, holiday: true) : Weekly(5, slot, holiday: false), forecast[h], 9);
        }

        // Straight after the history it is the ordinary forecast; before the history ends it is refused.
        Assert.Equal(new HistoricalAverage().Forecast(history, 8, calendar)[0], new HistoricalAverage().ForecastFrom(history, history.SlotStart(history.Length), 8, calendar)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HistoricalAverage().ForecastFrom(history, Start, 8, calendar));
    }

    [Fact]
    public void Missing_slots_are_skipped_by_the_average_and_left_missing_by_the_naive_forecast()
    {
        var calendar = Calendar();
        var history = Series(21, calendar);
        history.Values[(14 * PerDay) + 10] = double.NaN; // last week's Monday, slot 10
        var average = One(new HistoricalAverage(), history, PerDay, calendar);
        Assert.Equal(Weekly(21, 10, false), average[10], 9);
        Assert.True(double.IsNaN(One(new SeasonalNaive(7), history, PerDay, calendar)[10]));
        // With no history for a slot class at all, the average says so rather than guessing (three days from a Monday:
        // no Thursday yet).
        Assert.True(double.IsNaN(One(new HistoricalAverage(), history.Take(3 * PerDay), 1, calendar)[0]));
    }

    [Fact]
    public void Forecasts_depend_on_the_history_alone_never_on_the_window_they_forecast()
    {
        var calendar = Calendar();
        var full = Series(28, calendar);
        var cut = 21 * PerDay;
        var before = new IForecastModel[] { new HistoricalAverage(), new SeasonalNaive(1), new SeasonalNaive(7) }
            .Select(m => One(m, full.Take(cut), PerDay, calendar)).ToList();
        // A signal planted only in the test window.
        for (var i = cut; i < full.Values.Length; i++) full.Values[i] += 10_000;
        var after = new IForecastModel[] { new HistoricalAverage(), new SeasonalNaive(1), new SeasonalNaive(7) }
            .Select(m => One(m, full.Take(cut), PerDay, calendar)).ToList();
        for (var m = 0; m < before.Count; m++) Assert.Equal(before[m], after[m]);
        Assert.All(after, f => Assert.True(f.Max() < 1000));
    }

    [Fact]
    public void Naive_forecasts_step_back_local_days_so_a_clock_change_does_not_shift_them_an_hour()
    {
        // Hourly counts in New York, equal to the local hour, for two weeks up to the morning after the clocks went
        // back (2 November 2014): the same local time a day and a week ago is still the same hour of the day.
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var calendar = new SlotCalendar(newYork, HolidayCalendar.Empty);
        var start = new DateTimeOffset(2014, 10, 20, 0, 0, 0, TimeSpan.FromHours(-4)).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(2014, 11, 3, 6, 0, 0, TimeSpan.FromHours(-5)).ToUnixTimeMilliseconds();
        var slots = (int)((end - start) / 3_600_000);
        var values = Enumerable.Range(0, slots).Select(i => (double)calendar.Local(start + (i * 3_600_000L)).Hour).ToArray();
        var history = new SlotSeries("a", start, 60, values);
        foreach (var days in new[] { 1, 7 })
        {
            var forecast = One(new SeasonalNaive(days), history, 4, calendar);
            // 06:00 .. 09:00 local on 3 November.
            Assert.Equal([6.0, 7, 8, 9], forecast);
        }
    }
}
