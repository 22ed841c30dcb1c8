using CrowdWatch.Forecast.Evaluation;

namespace CrowdWatch.Forecast.Tests.Evaluation;

public class ScoresTests
{
    [Fact]
    public void Errors_leave_out_missing_pairs_and_mape_leaves_out_near_empty_slots()
    {
        double[] actual = [100, 200, 5, double.NaN, 50];
        double[] forecast = [110, 180, 8, 40, double.NaN];
        // Pairs kept: (100,110), (200,180), (5,8).
        Assert.Equal(Math.Sqrt((100 + 400 + 9) / 3.0), Scores.Rmse(actual, forecast), 12);
        Assert.Equal((10 + 20 + 3) / 3.0, Scores.Mae(actual, forecast), 12);
        // MAPE over actual > 10 only: 10% and 10%.
        Assert.Equal(10, Scores.Mape(actual, forecast), 12);
        Assert.True(double.IsNaN(Scores.Mape([5, 8], [6, 9])));
    }

    [Fact]
    public void Coverage_and_winkler_reward_intervals_that_hold_and_punish_misses_by_two_over_alpha()
    {
        double[] actual = [10, 20, 30, 40];
        double[] low = [8, 21, 25, 30];
        double[] high = [12, 25, 35, 38];
        Assert.Equal(0.5, Scores.Coverage(actual, low, high), 12);
        // Widths 4, 4, 10, 8; misses: 20 is 1 below 21, 40 is 2 above 38; alpha 0.2 -> penalty 10 per unit.
        Assert.Equal((4 + (4 + 10) + 10 + (8 + 20)) / 4.0, Scores.Winkler(actual, low, high, 0.2), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Scores.Winkler(actual, low, high, 1.5));
    }

    [Fact]
    public void Brier_is_zero_for_certain_right_answers_and_one_for_certain_wrong_ones()
    {
        Assert.Equal(0, Scores.Brier([1, 0], [true, false]));
        Assert.Equal(1, Scores.Brier([0, 1], [true, false]));
        Assert.Equal((0.09 + 0.04) / 2, Scores.Brier([0.7, 0.2], [true, false]), 12);
    }
}
