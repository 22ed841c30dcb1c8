using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Tests.Models;

public class SearchLeadTests
{
    private const int PerDay = 96;
    private static readonly long Start = new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    // A place whose evening crowd is its day's "appeal" times a daily shape, and whose searches run from morning to
    // afternoon in proportion to the same appeal: searches lead the crowd by hours. Appeal varies 0.7-1.4 over 30
    // days, and the last day (a holiday) has 4x.
    private static SlotPanel Panel(double lastDay = 4)
    {
        var random = new Random(5);
        var days = 31;
        var people = new double[days * PerDay];
        var search = new double[days * PerDay];
        for (var d = 0; d < days; d++)
        {
            var appeal = d == days - 1 ? lastDay : 0.7 + (0.7 * random.NextDouble());
            for (var i = 0; i < PerDay; i++)
            {
                var hour = i / 4.0;
                people[(d * PerDay) + i] = 200 + (appeal * 3000 * Math.Exp(-Math.Pow((hour - 20) / 2.0, 2)));
                search[(d * PerDay) + i] = appeal * 100 * Math.Exp(-Math.Pow((hour - 14) / 3.0, 2)) * (0.9 + (0.2 * random.NextDouble()));
            }
        }

        return new SlotPanel(["place"], Start, 15, [people], [search]);
    }

    [Fact]
    public void Searches_far_above_their_usual_forecast_a_crowd_far_above_its_usual_hours_ahead()
    {
        var panel = Panel();
        var lead = new SearchLead();
        lead.Fit(panel.Take(30 * PerDay));
        Assert.InRange(lead.Beta, 0.6, 1.4);
        Assert.True(lead.Pairs > 100);
        // At 16:00 on the last day, the crowd (peaking at 20:00) is still to come.
        var origin = (30 * PerDay) + (16 * 4);
        var usualPeak = Enumerable.Range(1, 14).Select(d => panel.Values(0)[origin - (d * PerDay) + 16]).Order().ElementAt(7);
        var f = lead.Forecast(panel.Take(origin), 0, [usualPeak * 2, usualPeak * 10]);
        Assert.NotNull(f);
        Assert.InRange(f!.Ratio, 3, 5.5);
        var actualPeak = Enumerable.Range(origin, 32).Max(i => panel.Values(0)[i]);
        Assert.InRange(f.Mean.Max(), actualPeak * 0.6, actualPeak * 1.4);
        // Twice the usual peak is near certain, ten times it is not.
        Assert.True(f.Exceedance.Max(e => e[0]) > 0.9, $"{f.Exceedance.Max(e => e[0])}");
        Assert.True(f.Exceedance.Max(e => e[1]) < 0.1, $"{f.Exceedance.Max(e => e[1])}");
    }

    [Fact]
    public void An_ordinary_day_forecasts_about_its_usual_and_no_searches_means_no_forecast()
    {
        var panel = Panel(lastDay: 1.05);
        var lead = new SearchLead();
        lead.Fit(panel.Take(30 * PerDay));
        var origin = (30 * PerDay) + (16 * 4);
        var f = lead.Forecast(panel.Take(origin), 0, [1e9])!;
        Assert.InRange(f.Ratio, 0.6, 1.6);
        Assert.Equal(0, f.Exceedance.Max(e => e[0]), 6);
        var bare = new SlotPanel(["place"], Start, 15, [panel.Values(0).ToArray()]);
        Assert.Null(lead.Forecast(bare, 0, [1]));
        Assert.Throws<ArgumentException>(() => new SearchLead().Fit(bare));
    }
}
