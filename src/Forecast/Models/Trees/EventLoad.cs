using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>
/// The expected attendance of scheduled events, per place of a panel and slot, worked out once per zone and slot
/// rather than once per feature row (each needs the local time of its slot).
/// </summary>
public sealed class EventLoad
{
    private readonly double[][] _byZone;
    private readonly int[][] _zonesOf;

    /// <summary>The load of <paramref name="count"/> slots of <paramref name="panel"/>'s slot grid from its start.</summary>
    public EventLoad(SlotPanel panel, SlotCalendar calendar, int count)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(calendar);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        _zonesOf = new int[panel.Count][];
        for (var s = 0; s < panel.Count; s++)
        {
            var zones = panel.ZonesOf(s);
            _zonesOf[s] = new int[zones.Count];
            for (var k = 0; k < zones.Count; k++)
            {
                if (!names.TryGetValue(zones[k], out var z)) names[zones[k]] = z = names.Count;
                _zonesOf[s][k] = z;
            }
        }

        _byZone = new double[names.Count][];
        if (calendar.Holidays.Events.Count == 0)
        {
            foreach (var (_, z) in names) _byZone[z] = [];
            return;
        }

        foreach (var (name, z) in names)
        {
            var load = _byZone[z] = new double[count];
            string[] one = [name];
            for (var t = 0; t < count; t++) load[t] = calendar.EventAttendance(one, panel.SlotStart(t));
        }
    }

    /// <summary>Expected attendance of the events in place <paramref name="series"/>'s zones at slot <paramref name="slot"/>.</summary>
    public double At(int series, int slot)
    {
        double sum = 0;
        foreach (var z in _zonesOf[series])
        {
            var load = _byZone[z];
            if (slot >= 0 && slot < load.Length) sum += load[slot];
        }

        return sum;
    }
}
