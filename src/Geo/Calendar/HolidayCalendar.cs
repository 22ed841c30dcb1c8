namespace CrowdWatch.Geo.Calendar;

/// <summary>
/// Public holidays, adjusted working days and crowd events, evaluated on local dates. China bridges holidays by moving
/// working days onto weekends, so a Sunday can be a working day and a Wednesday a day off: <see cref="KindOf"/> says
/// which, as forecasting features and the simulator need.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<DateOnly, Holiday> _daysOff = [];
    private readonly HashSet<DateOnly> _workdays = [];

    /// <summary>Builds a calendar.</summary>
    public HolidayCalendar(IEnumerable<Holiday> holidays, IEnumerable<CrowdEvent> events)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(events);
        Holidays = [.. holidays.OrderBy(h => h.From)];
        foreach (var h in Holidays)
        {
            for (var d = h.From; d <= h.To; d = d.AddDays(1)) _daysOff[d] = h;
            foreach (var w in h.Workdays) _workdays.Add(w);
        }

        Events = [.. events];
    }

    /// <summary>A calendar with no holidays and no events (weekdays and weekends only).</summary>
    public static HolidayCalendar Empty { get; } = new([], []);

    /// <summary>The holidays, in date order.</summary>
    public IReadOnlyList<Holiday> Holidays { get; }

    /// <summary>The events.</summary>
    public IReadOnlyList<CrowdEvent> Events { get; }

    /// <summary>The kind of day <paramref name="date"/> is.</summary>
    public DayKind KindOf(DateOnly date)
    {
        if (_daysOff.ContainsKey(date)) return DayKind.Holiday;
        if (_workdays.Contains(date)) return DayKind.Workday;
        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayKind.Weekend : DayKind.Workday;
    }

    /// <summary>The holiday <paramref name="date"/> belongs to, if any.</summary>
    public Holiday? HolidayOn(DateOnly date) => _daysOff.GetValueOrDefault(date);

    /// <summary>
    /// Days from <paramref name="date"/> to the first day of the next holiday (0 on a holiday's first day), or null when
    /// none is known within <paramref name="horizonDays"/>.
    /// </summary>
    public int? DaysToHoliday(DateOnly date, int horizonDays = 30)
    {
        foreach (var h in Holidays)
            if (h.From >= date && h.From.DayNumber - date.DayNumber <= horizonDays) return h.From.DayNumber - date.DayNumber;
        return null;
    }

    /// <summary>Which day of its holiday <paramref name="date"/> is (1 on the first day), or 0 outside holidays.</summary>
    public int DayIntoHoliday(DateOnly date) => _daysOff.TryGetValue(date, out var h) ? date.DayNumber - h.From.DayNumber + 1 : 0;

    /// <summary>The events taking place on <paramref name="date"/>.</summary>
    public IEnumerable<CrowdEvent> EventsOn(DateOnly date) => Events.Where(e => e.OccursOn(date));
}
