using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models;

public class WeightedEnsembleTests
{
    private const int PerDay = 96;
    private static readonly SlotCalendar Calendar = new(TimeZoneInfo.Utc, HolidayCalendar.Empty);

    [Fact]
    public void The_member_that_did_best_on_the_held_out_training_days_is_chosen_per_horizon()
    {
        // A pure weekly pattern: last week's value is exact, yesterday's is not.
        var values = Enumerable.Range(0, 28 * PerDay).Select(i => 20 + (10.0 * (i / PerDay % 7)) + (i % PerDay)).ToArray();
        var panel = SlotPanel.Of([new SlotSeries("a", 0, 15, values)]);
        var ensemble = new WeightedEnsemble([new SeasonalNaive(1), new SeasonalNaive(7)], horizons: 4, validationDays: 7);
        ensemble.Fit(panel.Take(21 * PerDay), Calendar);
        Assert.All(ensemble.Weights, w => Assert.Equal([0.0, 1.0], w));
        var forecast = ensemble.Forecast(panel.Take(21 * PerDay), 4, Calendar)[0];
        Assert.Equal(values[(21 * PerDay)..((21 * PerDay) + 4)], forecast);
    }
}
