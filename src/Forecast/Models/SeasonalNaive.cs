using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// The seasonal naive forecast: the value one season earlier (the same local time yesterday, or last week, so that a
/// change of the clocks does not shift it by an hour). A target more than a season ahead takes the last observed
/// season, as often back as needed.
/// </summary>
/// <param name="seasonDays">1: the same slot yesterday; 7: the same slot last week.</param>
public sealed class SeasonalNaive(int seasonDays) : IForecastModel
{
    /// <summary>Days in one season.</summary>
    public int SeasonDays { get; } = seasonDays > 0 ? seasonDays : throw new ArgumentOutOfRangeException(nameof(seasonDays), seasonDays, "at least one day");

    /// <inheritdoc />
    public string Name => SeasonDays == 1 ? "naive-yesterday" : SeasonDays == 7 ? "naive-last-week" : $"naive-{SeasonDays}d";

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        // Nothing to learn: the forecast is the series' own past.
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        var n = history.Length;
        // Step back whole seasons of local days until the slot is in the history: the same for every place.
        var from = new int[horizons];
        for (var h = 0; h < horizons; h++)
        {
            var target = history.SlotStart(n + h);
            var i = n;
            for (var days = SeasonDays; i >= n; days += SeasonDays)
                i = (int)Math.Floor((calendar.SameLocalTimeBefore(target, days) - history.StartMs) / (double)history.SlotMs);
            from[h] = i;
        }

        var result = new double[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            var values = history.Values(s);
            var f = result[s] = new double[horizons];
            for (var h = 0; h < horizons; h++) f[h] = from[h] >= 0 ? values[from[h]] : double.NaN;
        }

        return result;
    }
}
