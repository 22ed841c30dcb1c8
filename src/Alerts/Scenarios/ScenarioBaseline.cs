using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>The usual crowd of every cell of an area over a scenario's window, slot by slot.</summary>
public static class ScenarioBaseline
{
    /// <summary>
    /// People per slot per grid cell for <paramref name="slots"/> slots from <paramref name="fromSlotMs"/>, from the
    /// history in <paramref name="panels"/> (only what lies before the window is used).
    /// </summary>
    public static double[][] Build(Area area, AreaPanels panels, SlotCalendar calendar, BaselineSpec spec, long fromSlotMs, int slots)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(spec);
        var history = panels.Cells;
        var cells = history.Keys.Select(k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var result = Enumerable.Range(0, slots).Select(_ => new double[area.Grid.Spec.CellCount]).ToArray();
        var slotMs = history.SlotMs;
        if (spec.Day is { } day)
        {
            // The same local times of day, counted from the reference day as the window counts from its first day.
            var firstDay = DateOnly.FromDateTime(calendar.Local(fromSlotMs));
            for (var h = 0; h < slots; h++)
            {
                var local = calendar.Local(fromSlotMs + (h * slotMs));
                var shifted = day.AddDays(DateOnly.FromDateTime(local).DayNumber - firstDay.DayNumber).ToDateTime(TimeOnly.FromDateTime(local));
                var ms = new DateTimeOffset(shifted, area.TimeZone.GetUtcOffset(shifted)).ToUnixTimeMilliseconds();
                var i = (ms - history.StartMs) / slotMs;
                if (i < 0 || i >= history.Length || (ms - history.StartMs) % slotMs != 0)
                    throw new InvalidDataException($"baseline.day: {day:yyyy-MM-dd} {TimeOnly.FromDateTime(local):HH:mm} is outside the history ({Instants.Local(history.StartMs, area.TimeZone)} to {Instants.Local(history.SlotStart(history.Length - 1), area.TimeZone)})");
                for (var s = 0; s < cells.Length; s++) result[h][cells[s]] = history.Values(s)[(int)i];
            }

            return result;
        }

        // Only the history before the window counts, as it would for a forecast made then.
        var before = (int)Math.Clamp((fromSlotMs - history.StartMs) / slotMs, 0, history.Length);
        if (before == 0) throw new InvalidDataException($"the history begins {Instants.Local(history.StartMs, area.TimeZone)}, after the scenario's start: nothing to forecast from");
        var cut = history.Take(before);
        var forecast = new HistoricalAverage(spec.Weeks).ForecastFrom(cut, fromSlotMs, slots, calendar);
        for (var s = 0; s < cells.Length; s++)
            for (var h = 0; h < slots; h++)
                result[h][cells[s]] = double.IsNaN(forecast[s][h]) ? 0 : forecast[s][h];
        return result;
    }
}
