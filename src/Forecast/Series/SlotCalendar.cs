using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Forecast.Series;

/// <summary>
/// Where a slot falls in the local week and in the holiday calendar: what seasonal models need to know of time.
/// </summary>
public sealed class SlotCalendar
{
    /// <summary>The seasonal class of a holiday, beside the seven weekdays.</summary>
    public const int HolidayClass = 7;

    private readonly TimeZoneInfo _zone;
    private readonly HolidayCalendar _holidays;
    private readonly Lock _gate = new();
    private (long StartMs, int SlotMinutes, SlotTimes Times)? _last;

    /// <summary>A calendar in <paramref name="zone"/>, holiday-aware through <paramref name="holidays"/>.</summary>
    public SlotCalendar(TimeZoneInfo zone, HolidayCalendar holidays)
    {
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        _holidays = holidays ?? throw new ArgumentNullException(nameof(holidays));
    }

    /// <summary>The holidays, adjusted working days and events this calendar knows.</summary>
    public HolidayCalendar Holidays => _holidays;

    /// <summary>The local date and time of an instant.</summary>
    public DateTime Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), _zone).DateTime;

    /// <summary>
    /// The instant showing the same local time <paramref name="days"/> days before <paramref name="unixMs"/> (so a
    /// week before 09:00 after a clock change is 09:00, not 08:00 or 10:00); a time the clocks skipped that day is
    /// read one hour on, as the clock showed it.
    /// </summary>
    public long SameLocalTimeBefore(long unixMs, int days)
    {
        var local = Local(unixMs).AddDays(-days);
        var wall = (long)(local - DateTime.UnixEpoch).TotalMilliseconds;
        return Geo.Time.LocalInstants.Resolve(wall, _zone, second: false, out var ms) == Geo.Time.LocalTimeKind.Skipped
            ? SameLocalTimeBefore(unixMs + 3_600_000, days)
            : ms;
    }

    /// <summary>Index of the slot within its local day (0 at midnight).</summary>
    public int SlotOfDay(long unixMs, int slotMinutes)
    {
        var local = Local(unixMs);
        return ((local.Hour * 60) + local.Minute) / slotMinutes;
    }

    /// <summary>
    /// The day class of an instant: its weekday (0 Sunday .. 6 Saturday), or <see cref="HolidayClass"/> on a public
    /// holiday, so that a holiday is compared with holidays, not with the weekday it falls on. An adjusted working day
    /// (a weekend day worked in exchange for a holiday) counts as Monday: a working day like any other.
    /// </summary>
    public int DayClass(long unixMs)
    {
        var date = DateOnly.FromDateTime(Local(unixMs));
        var kind = _holidays.KindOf(date);
        if (kind == DayKind.Holiday) return HolidayClass;
        if (kind == DayKind.Workday && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return (int)DayOfWeek.Monday;
        return (int)date.DayOfWeek;
    }

    /// <summary>
    /// The calendar facts of <paramref name="count"/> slots from <paramref name="startMs"/>. The longest table asked for
    /// is kept, so a backtest asking again from each origin converts each slot once.
    /// </summary>
    public SlotTimes Times(long startMs, int slotMinutes, int count)
    {
        lock (_gate)
        {
            if (_last is { } last && last.StartMs == startMs && last.SlotMinutes == slotMinutes && last.Times.Count >= count) return last.Times;
        }

        var slotMs = slotMinutes * 60_000L;
        var t = new SlotTimes(new int[count], new int[count], new int[count], new bool[count], new int[count], new int[count]);
        var day = DateOnly.MinValue;
        var (dayClass, dow, adjusted, toHoliday, into) = (0, 0, false, 0, 0);
        for (var i = 0; i < count; i++)
        {
            var local = Local(startMs + (i * slotMs));
            var date = DateOnly.FromDateTime(local);
            if (date != day)
            {
                day = date;
                var kind = _holidays.KindOf(date);
                dow = (int)date.DayOfWeek;
                adjusted = kind == DayKind.Workday && date.DayOfWeek is System.DayOfWeek.Saturday or System.DayOfWeek.Sunday;
                dayClass = kind == DayKind.Holiday ? HolidayClass : adjusted ? (int)System.DayOfWeek.Monday : dow;
                toHoliday = _holidays.DaysToHoliday(date) ?? 30;
                into = _holidays.DayIntoHoliday(date);
            }

            t.DayClass[i] = dayClass;
            t.SlotOfDay[i] = ((local.Hour * 60) + local.Minute) / slotMinutes;
            t.DayOfWeek[i] = dow;
            t.AdjustedWorkday[i] = adjusted;
            t.DaysToHoliday[i] = toHoliday;
            t.DayIntoHoliday[i] = into;
        }

        lock (_gate) _last = (startMs, slotMinutes, t);
        return t;
    }

    /// <summary>
    /// Expected attendance of the events in <paramref name="zones"/> under way at the local time of
    /// <paramref name="unixMs"/>: what a scheduled event adds to an ordinary day there.
    /// </summary>
    public double EventAttendance(IReadOnlyList<string> zones, long unixMs)
    {
        ArgumentNullException.ThrowIfNull(zones);
        if (zones.Count == 0 || _holidays.Events.Count == 0) return 0;
        var local = Local(unixMs);
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        double sum = 0;
        foreach (var e in _holidays.Events)
        {
            if (zones.Contains(e.Zone) && Running(e, date, time)) sum += e.Attendance;
        }

        return sum;
    }

    /// <summary>Whether <paramref name="e"/> is under way at the local time of <paramref name="unixMs"/>.</summary>
    public bool IsRunning(CrowdEvent e, long unixMs)
    {
        ArgumentNullException.ThrowIfNull(e);
        var local = Local(unixMs);
        return Running(e, DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    // An event past midnight belongs to the date it started on.
    private static bool Running(CrowdEvent e, DateOnly date, TimeOnly time) => e.End > e.Start
        ? e.OccursOn(date) && time >= e.Start && time < e.End
        : (e.OccursOn(date) && time >= e.Start) || (e.OccursOn(date.AddDays(-1)) && time < e.End);
}
