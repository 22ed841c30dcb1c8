using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models;

/// <summary>
/// The seasonal naive forecast: the value one season earlier (the same slot yesterday, or last week). A target more
/// than a season ahead takes the last observed season, as often back as needed.
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
        var season = SeasonDays * history.SlotsPerDay;
        var n = history.Length;
        var result = new double[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            var values = history.Values(s);
            var f = result[s] = new double[horizons];
            for (var h = 0; h < horizons; h++)
            {
                // Step back whole seasons until the slot is in the history.
                var i = n + h - season;
                while (i >= n) i -= season;
                f[h] = i >= 0 ? values[i] : double.NaN;
            }
        }

        return result;
    }
}
