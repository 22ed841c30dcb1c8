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

    /// <summary>A calendar in <paramref name="zone"/>, holiday-aware through <paramref name="holidays"/>.</summary>
    public SlotCalendar(TimeZoneInfo zone, HolidayCalendar holidays)
    {
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        _holidays = holidays ?? throw new ArgumentNullException(nameof(holidays));
    }

    /// <summary>The local date and time of an instant.</summary>
    public DateTime Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), _zone).DateTime;

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
}
