using CrowdWatch.Forecast.Models.Trees;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models.Trees;

public class CrossPlaceRegressionTests
{
    [Fact]
    public void What_one_place_sends_in_one_slot_arrives_at_another_in_the_next_and_is_forecast_there()
    {
        // Hourly: place "from" starts random trips; every one ends at place "to" an hour later. Neither has a daily rhythm.
        var random = new Random(5);
        const int slots = 24 * 40;
        var from = Enumerable.Range(0, slots).Select(_ => (double)random.Next(0, 100)).ToArray();
        var to = new double[slots];
        for (var t = 1; t < slots; t++) to[t] = from[t - 1];
        var quiet = Enumerable.Range(0, slots).Select(_ => (double)random.Next(0, 5)).ToArray();
        var panel = new SlotPanel(["from", "to", "quiet"], 0, 60, [from, to, quiet]);
        var calendar = new SlotCalendar(TimeZoneInfo.Utc, HolidayCalendar.Empty);
        var times = calendar.Times(panel.StartMs, 60, slots + 4);
        var scales = Enumerable.Range(0, 3).Select(s => TreeFeatures.Scale(panel.Values(s), 24)).ToArray();
        var training = panel.Take(slots - 48);
        var regression = CrossPlaceRegression.Fit(training, times, scales, horizons: 1, firstOrigin: 48);
        Assert.NotNull(regression);
        double error = 0, naive = 0;
        for (var origin = slots - 48; origin < slots; origin++)
        {
            var history = panel.Take(origin);
            var forecast = regression.Forecast(history, times, regression.Inputs(history, times, origin), origin, 1, series: 1, outOfFold: false);
            error += Math.Abs(forecast - to[origin]);
            naive += Math.Abs(to[origin - 1] - to[origin]);
        }

        // The next slot at "to" is the last at "from": a few people off on average, where its own last value is ~33 off.
        Assert.True(error / 48 < 5, $"mean error {error / 48:0.0}");
        Assert.True(naive / 48 > 20, $"naive {naive / 48:0.0}");
        Assert.True(double.IsNaN(regression.Forecast(panel, times, regression.Inputs(panel, times, slots - 1), slots - 1, 2, 1, false)), "one horizon fitted");
    }
}
