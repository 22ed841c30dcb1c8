using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// The historical average: the mean of a place's own past values at the same slot of day on days of the same class
/// (the same weekday, or any holiday for a holiday), over the last <see cref="Weeks"/> weeks of its history. A holiday
/// with no holiday in the history is compared with Sundays, the nearest ordinary day.
/// </summary>
/// <param name="weeks">How many weeks back the average reaches.</param>
public sealed class HistoricalAverage(int weeks = 8) : IForecastModel
{
    /// <summary>How many weeks back the average reaches.</summary>
    public int Weeks { get; } = weeks > 0 ? weeks : throw new ArgumentOutOfRangeException(nameof(weeks), weeks, "at least one week");

    /// <inheritdoc />
    public string Name => "historical-average";

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        // Nothing to learn across places: each is averaged over its own history when forecast.
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        var perDay = history.SlotsPerDay;
        var n = history.Length;
        var times = calendar.Times(history.StartMs, history.SlotMinutes, n + horizons);
        var from = Math.Max(0, n - (Weeks * 7 * perDay));
        var classes = SlotCalendar.HolidayClass + 1;
        var sums = new double[classes * perDay];
        var counts = new int[classes * perDay];
        var result = new double[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            var values = history.Values(s);
            for (var i = from; i < n; i++)
            {
                var v = values[i];
                if (double.IsNaN(v)) continue;
                var k = (times.DayClass[i] * perDay) + times.SlotOfDay[i];
                sums[k] += v;
                counts[k]++;
            }

            var f = result[s] = new double[horizons];
            for (var h = 0; h < horizons; h++)
            {
                var k = (times.DayClass[n + h] * perDay) + times.SlotOfDay[n + h];
                if (counts[k] == 0 && times.DayClass[n + h] == SlotCalendar.HolidayClass) k = times.SlotOfDay[n + h];
                f[h] = counts[k] > 0 ? sums[k] / counts[k] : double.NaN;
            }
        }

        return result;
    }
}
