using CrowdWatch.Forecast.Evaluation;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Evaluation;

public class BacktestTests
{
    private const int PerDay = 96;
    private static readonly SlotCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), HolidayCalendar.Empty);
    private static readonly long Start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static SlotSeries Weekly(string key, int days, double scale) =>
        new(key, Start, 15, [.. Enumerable.Range(0, days * PerDay).Select(i => scale * (20 + (10 * ((i / PerDay) % 7)) + (i % PerDay)))]);

    // Remembers how much of the panel it was fitted on, and the history of each forecast.
    private sealed class Spy : IForecastModel
    {
        public int LongestTraining { get; private set; }

        public List<int> Histories { get; } = [];

        public string Name => "spy";

        public void Fit(SlotPanel training, SlotCalendar calendar) => LongestTraining = Math.Max(LongestTraining, training.Length);

        public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
        {
            Histories.Add(history.Length);
            return [.. Enumerable.Range(0, history.Count).Select(_ => new double[horizons])];
        }
    }

    private static BacktestOptions Options(int testStart, int horizons, int step) => new() { TestStart = testStart, Horizons = horizons, OriginStep = step };

    [Fact]
    public void Last_weeks_naive_scores_zero_on_a_weekly_pattern_and_yesterdays_does_not()
    {
        var series = new[] { Weekly("a", 21, 1), Weekly("b", 21, 3) };
        var scores = Backtest.Run([new SeasonalNaive(7), new SeasonalNaive(1)], SlotPanel.Of(series), Calendar, Options(14 * PerDay, 4, 8)).Scores;
        var week = scores.Where(s => s.Model == "naive-last-week").ToList();
        Assert.Equal([1, 2, 3, 4], week.Select(s => s.Horizon));
        Assert.All(week, s => Assert.Equal(0, s.Rmse));
        // 84 origins per series (7 days x 96 / 8), less those whose horizon runs past the end.
        Assert.Equal(2 * 84, week[0].Pairs);
        Assert.Equal(2 * 84, week[3].Pairs); // the last origin is 8 slots before the end: all four horizons land
        Assert.All(scores.Where(s => s.Model == "naive-yesterday"), s => Assert.True(s.Rmse > 5, $"{s.Rmse}"));
    }

    [Fact]
    public void The_panel_totals_take_every_slot_from_the_latest_origin_when_origins_are_several_slots_apart()
    {
        var series = new[] { Weekly("a", 21, 1), Weekly("b", 21, 3) };
        var result = Backtest.Run([new SeasonalNaive(7)], SlotPanel.Of(series), Calendar, Options(14 * PerDay, 8, 4));
        var t = result.Totals["naive-last-week"];
        Assert.Equal(4, t.Step);
        Assert.Equal(4, t.Lead);
        Assert.Equal(7 * PerDay, t.Actual.Length);
        // Every slot has both forecasts (the last week repeats exactly), not one slot in four.
        Assert.Equal(t.Actual, t.Ahead1);
        // The lead's forecast starts once the first origin is 4 slots back.
        Assert.All(t.AheadLead.Take(3), v => Assert.True(double.IsNaN(v)));
        Assert.Equal(t.Actual.Skip(3), t.AheadLead.Skip(3));
        Assert.Equal(20 + (3 * 20), t.Actual[0]); // day 14 is a week day 0: 20 at midnight, and three times that
    }

    [Fact]
    public void Models_are_fitted_on_the_slots_before_the_test_window_only()
    {
        var spy = new Spy();
        Backtest.Run([spy], SlotPanel.Of([Weekly("a", 14, 1)]), Calendar, Options(10 * PerDay, 1, PerDay));
        Assert.Equal(10 * PerDay, spy.LongestTraining);
        // Calibration origins over the last 7 training days, then one origin per test day, each seeing only its past.
        Assert.Equal([.. Enumerable.Range(3, 7).Select(d => d * PerDay), .. Enumerable.Range(10, 4).Select(d => d * PerDay)], spy.Histories);
    }

    [Fact]
    public void The_table_has_a_row_per_model_and_rmse_mae_mape_per_horizon()
    {
        var scores = Backtest.Run([new SeasonalNaive(7), new HistoricalAverage()], SlotPanel.Of([Weekly("a", 21, 1)]), Calendar, Options(14 * PerDay, 4, 8)).Scores;
        var table = Backtest.Markdown(scores, [1, 4], 15).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("| Model | RMSE 15 min | MAE 15 min | MAPE 15 min | RMSE 60 min | MAE 60 min | MAPE 60 min |", table[0]);
        Assert.Equal(4, table.Length);
        Assert.StartsWith("| naive-last-week | 0.00 | 0.00 | 0.0% |", table[2], StringComparison.Ordinal);
        Assert.StartsWith("| historical-average |", table[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Series_that_do_not_line_up_are_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => SlotPanel.Of([Weekly("a", 14, 1), Weekly("b", 13, 1)]));
        Assert.Contains("share their start, slot length and length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Intervals_cover_what_they_claim_on_a_weekly_pattern_with_gaussian_noise()
    {
        // A weekly pattern with noise of sd 5: the historical average errs by that noise (and a little of its own).
        var random = new Random(11);
        var series = Enumerable.Range(0, 6).Select(k => new SlotSeries($"s{k}", Start, 15, [.. Enumerable.Range(0, 35 * PerDay).Select(i =>
            (k * 20) + 100 + (10 * ((i / PerDay) % 7)) + (30 * Math.Sin(i * 2 * Math.PI / PerDay))
            + (5 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))])).ToList();
        var result = Backtest.Run([new HistoricalAverage()], SlotPanel.Of(series), Calendar, Options(28 * PerDay, 4, 2));
        Assert.All(result.Scores, s =>
        {
            Assert.InRange(s.Coverage80, 0.77, 0.83);
            Assert.InRange(s.Coverage90, 0.87, 0.93);
            Assert.InRange(s.Coverage95, 0.93, 0.97);
            Assert.True(s.Winkler90 > 0);
        });
        Assert.True(double.IsNaN(result.Scores[0].Brier), "no levels given: no Brier score");
    }
}
