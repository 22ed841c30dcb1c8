using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Tests.Models;

public class SingularSpectrumTests
{
    private static readonly SlotCalendar Calendar = new(TimeZoneInfo.Utc, HolidayCalendar.Empty);
    private static readonly long Start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static SlotPanel Panel(int length, Func<int, double> signal, double noise, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            // Box-Muller: Gaussian noise of known spread.
            var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = signal(i) + (noise * g);
        }

        return SlotPanel.Of([new SlotSeries("s", Start, 60, values)]);
    }

    [Fact]
    public void A_linear_trend_is_continued_by_ssa_and_not_by_the_last_value()
    {
        static double Trend(int i) => 50 + (0.5 * i);
        var panel = Panel(600, Trend, noise: 1, seed: 3);
        var ssa = new SingularSpectrum(window: 48, rank: 2);
        ssa.Fit(panel, Calendar);
        var forecast = ssa.Forecast(panel, 48, Calendar)[0];
        for (var h = 0; h < 48; h++) Assert.True(Math.Abs(forecast[h] - Trend(600 + h)) < 2.5, $"h={h + 1}: {forecast[h]:0.0} against {Trend(600 + h):0.0}");
        // The trend has climbed 24 in those 48 slots: a flat forecast would be that far off.
        Assert.True(Trend(647) - panel.Values(0)[^1] > 20);
    }

    [Fact]
    public void A_daily_cycle_on_a_trend_is_continued_in_phase()
    {
        static double Signal(int i) => 200 + (0.2 * i) + (60 * Math.Sin(2 * Math.PI * i / 24));
        var panel = Panel(24 * 30, Signal, noise: 2, seed: 5);
        var ssa = new SingularSpectrum(window: 48, rank: 4);
        ssa.Fit(panel, Calendar);
        var forecast = ssa.Forecast(panel, 24, Calendar)[0];
        var worst = Enumerable.Range(0, 24).Max(h => Math.Abs(forecast[h] - Signal((24 * 30) + h)));
        Assert.True(worst < 6, $"worst error {worst:0.0}");
    }

    [Fact]
    public void A_series_never_seen_in_fitting_is_decomposed_from_its_own_history()
    {
        static double Trend(int i) => 10 + i;
        var ssa = new SingularSpectrum(window: 24, rank: 2);
        ssa.Fit(Panel(300, _ => 5, noise: 0.5, seed: 1), Calendar);
        var other = new SlotPanel(["other"], Start, 60, [[.. Enumerable.Range(0, 300).Select(i => Trend(i))]]);
        var forecast = ssa.Forecast(other, 5, Calendar)[0];
        for (var h = 0; h < 5; h++) Assert.Equal(Trend(300 + h), forecast[h], 3);
    }
}
