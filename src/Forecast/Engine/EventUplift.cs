using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Engine;

/// <summary>
/// What a planner's calendar adds where the history cannot: an event that never took place in the history (a New
/// Year's Eve, a first concert) is invisible to every model, so its expected attendance is added to the forecast of
/// the places in its zone while it runs, shared in proportion to their forecasts (a zone's own series takes all of
/// it). Events the history holds (a daily show, last month's fair) are left to the models, which learned them, and so
/// is an event already under way at the origin: the last counts show it.
/// </summary>
public static class EventUplift
{
    /// <summary>
    /// Per place and horizon, the people added to <paramref name="mean"/> (forecasts from the end of
    /// <paramref name="history"/>); null when no event applies.
    /// </summary>
    public static double[][]? For(SlotPanel history, SlotCalendar calendar, double[][] mean, int horizons)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(mean);
        var events = calendar.Holidays.Events;
        if (events.Count == 0 || history.Length == 0) return null;
        var first = DateOnly.FromDateTime(calendar.Local(history.StartMs));
        var last = DateOnly.FromDateTime(calendar.Local(history.SlotStart(history.Length - 1)));
        double[][]? uplift = null;
        foreach (var e in events)
        {
            // A daily event, or one whose dates the history covers, has been seen; one under way at the origin shows
            // in the last counts, which the models read.
            if (e.From is null || (e.From <= last && e.To >= first) || calendar.IsRunning(e, history.SlotStart(history.Length - 1))) continue;
            var places = Enumerable.Range(0, history.Count).Where(s => history.ZonesOf(s).Contains(e.Zone)).ToArray();
            if (places.Length == 0) continue;
            for (var h = 0; h < horizons; h++)
            {
                if (!calendar.IsRunning(e, history.SlotStart(history.Length + h))) continue;
                double total = 0;
                foreach (var s in places) total += Share(mean[s][h]);
                uplift ??= [.. Enumerable.Range(0, history.Count).Select(_ => new double[horizons])];
                foreach (var s in places) uplift[s][h] += e.Attendance * Share(mean[s][h]) / total;
            }
        }

        return uplift;
    }

    // A place forecast empty still gets a little of the crowd.
    private static double Share(double forecast) => double.IsNaN(forecast) ? 1 : Math.Max(0, forecast) + 1;
}
