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
        return ForecastFrom(history, history.SlotStart(history.Length), horizons, calendar);
    }

    /// <summary>
    /// The average for <paramref name="count"/> slots from <paramref name="fromMs"/>, any time after the history ends
    /// (weeks or a year ahead, as a planner asks): each slot's class and slot of day against the history's last
    /// <see cref="Weeks"/> weeks. Per series, per slot; NaN where no day of the class was seen.
    /// </summary>
    public double[][] ForecastFrom(SlotPanel history, long fromMs, int count, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var end = history.SlotStart(history.Length);
        if (fromMs < end) throw new ArgumentOutOfRangeException(nameof(fromMs), fromMs, "the forecast must start where the history ends or later");
        if ((fromMs - history.StartMs) % history.SlotMs != 0) throw new ArgumentException("the forecast must start on a slot boundary of the history", nameof(fromMs));
        var perDay = history.SlotsPerDay;
        var n = history.Length;
        // Straight after the history one table serves both (the calendar keeps the longest, which backtests reuse).
        var times = calendar.Times(history.StartMs, history.SlotMinutes, fromMs == end ? n + count : n);
        var (ahead, at) = fromMs == end ? (times, n) : (calendar.Times(fromMs, history.SlotMinutes, count), 0);
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

            var f = result[s] = new double[count];
            for (var h = 0; h < count; h++)
            {
                var k = (ahead.DayClass[at + h] * perDay) + ahead.SlotOfDay[at + h];
                if (counts[k] == 0 && ahead.DayClass[at + h] == SlotCalendar.HolidayClass) k = ahead.SlotOfDay[at + h];
                f[h] = counts[k] > 0 ? sums[k] / counts[k] : double.NaN;
            }
        }

        return result;
    }
}
