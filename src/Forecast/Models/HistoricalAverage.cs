using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// The historical average: the mean of the series' own past values at the same slot of day on days of the same class
/// (the same weekday, or any holiday for a holiday), over the last <see cref="Weeks"/> weeks of its history.
/// </summary>
/// <param name="weeks">How many weeks back the average reaches.</param>
public sealed class HistoricalAverage(int weeks = 8) : IForecastModel
{
    /// <summary>How many weeks back the average reaches.</summary>
    public int Weeks { get; } = weeks > 0 ? weeks : throw new ArgumentOutOfRangeException(nameof(weeks), weeks, "at least one week");

    /// <inheritdoc />
    public string Name => "historical-average";

    /// <inheritdoc />
    public void Fit(IReadOnlyList<SlotSeries> training, SlotCalendar calendar)
    {
        // Nothing to learn across series: each is averaged over its own history when forecast.
    }

    /// <inheritdoc />
    public double[] Forecast(SlotSeries history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        var perDay = 24 * 60 / history.SlotMinutes;
        var n = history.Values.Length;
        var from = Math.Max(0, n - (Weeks * 7 * perDay));
        var sums = new Dictionary<(int Day, int Slot), (double Sum, int Count)>();
        for (var i = from; i < n; i++)
        {
            var v = history.Values[i];
            if (double.IsNaN(v)) continue;
            var at = history.SlotStart(i);
            var key = (calendar.DayClass(at), calendar.SlotOfDay(at, history.SlotMinutes));
            var (sum, count) = sums.GetValueOrDefault(key);
            sums[key] = (sum + v, count + 1);
        }

        var result = new double[horizons];
        for (var h = 0; h < horizons; h++)
        {
            var at = history.SlotStart(n + h);
            result[h] = sums.TryGetValue((calendar.DayClass(at), calendar.SlotOfDay(at, history.SlotMinutes)), out var s) ? s.Sum / s.Count : double.NaN;
        }

        return result;
    }
}
