using CrowdWatch.Forecast.Intervals;

namespace CrowdWatch.Forecast.Tests.Intervals;

public class ConformalCalibrationTests
{
    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Intervals_and_exceedance_follow_errors_of_known_spread()
    {
        // Forecasts of 100 whose errors are Gaussian with sd 10: in units of the scale (1 + 100^0.75 ~ 32.6) that is 0.31.
        var random = new Random(7);
        var calibration = new ConformalCalibration(horizons: 2, windowSlots: 1_000_000);
        for (var i = 0; i < 20_000; i++)
        {
            calibration.Observe(1, i, 100 + (10 * Gaussian(random)), 100);
            calibration.Observe(2, i, 100 + (30 * Gaussian(random)), 100);
        }

        var (low, high) = calibration.Interval(1, 100, 0.9);
        Assert.InRange(low, 100 - (1.645 * 10) - 1, 100 - (1.645 * 10) + 1);
        Assert.InRange(high, 100 + (1.645 * 10) - 1, 100 + (1.645 * 10) + 1);
        var (low2, high2) = calibration.Interval(2, 100, 0.9);
        Assert.True(high2 - low2 > 2.5 * (high - low), "the noisier horizon gets the wider interval");
        // P(X >= mean + 1 sd) = 0.159; P(X >= mean + 2 sd) = 0.023.
        Assert.InRange(calibration.Exceedance(1, 100, 110), 0.145, 0.175);
        Assert.InRange(calibration.Exceedance(1, 100, 120), 0.015, 0.032);
        Assert.InRange(calibration.Exceedance(2, 100, 130), 0.145, 0.175);
        // Far below the forecast: certain; far above: never seen.
        Assert.Equal(1, calibration.Exceedance(1, 100, 0), 3);
        Assert.Equal(0, calibration.Exceedance(1, 100, 1000), 3);
    }

    [Fact]
    public void Old_errors_are_forgotten_so_a_calmer_period_narrows_the_intervals()
    {
        var random = new Random(3);
        var calibration = new ConformalCalibration(horizons: 1, windowSlots: 500);
        for (var i = 0; i < 1000; i++) calibration.Observe(1, i, 50 + (20 * Gaussian(random)), 50);
        var wide = calibration.Interval(1, 50, 0.8);
        for (var i = 1000; i < 2000; i++) calibration.Observe(1, i, 50 + (2 * Gaussian(random)), 50);
        calibration.Forget(2000);
        var narrow = calibration.Interval(1, 50, 0.8);
        Assert.Equal(500, calibration.Count(1)); // targets 1500..1999
        Assert.True(narrow.High - narrow.Low < (wide.High - wide.Low) / 5, $"{narrow} against {wide}");
    }

    [Fact]
    public void Too_few_errors_give_no_interval_rather_than_a_false_one()
    {
        var calibration = new ConformalCalibration(horizons: 1, windowSlots: 100, minimumErrors: 30);
        for (var i = 0; i < 29; i++) calibration.Observe(1, i, 10, 10);
        Assert.True(double.IsNaN(calibration.Interval(1, 10, 0.9).Low));
        Assert.True(double.IsNaN(calibration.Exceedance(1, 10, 20)));
        calibration.Observe(1, 29, 10, 10);
        Assert.Equal((10, 10), calibration.Interval(1, 10, 0.9));
    }

    [Fact]
    public void A_forecast_of_nobody_after_a_busy_slot_keeps_an_interval_as_wide_as_that_level_needs()
    {
        var random = new Random(3);
        var calibration = new ConformalCalibration(horizons: 1, windowSlots: 1_000_000);
        for (var i = 0; i < 5_000; i++) calibration.Observe(1, i, Math.Max(0, 500 + (50 * Gaussian(random))), 500);
        var (_, bare) = calibration.Interval(1, 0, 0.95);
        // An hour after 3,016 people passed: the scale is that of half of them, not of zero.
        var (low, high) = calibration.Interval(1, 0, 0.95, floor: 1508);
        Assert.True(bare < 5, $"without the floor the interval is 0-{bare}");
        Assert.Equal(0, low);
        Assert.True(high > 100, $"with the floor 0-{high}");
    }
}
