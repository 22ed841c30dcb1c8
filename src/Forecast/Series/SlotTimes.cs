namespace CrowdWatch.Forecast.Series;

/// <summary>
/// What the calendar says of each slot of a run of slots, computed once so that models need not convert instants
/// slot by slot: the day class, the slot of day, and the holiday facts of the local date.
/// </summary>
/// <param name="DayClass">Per slot: weekday 0..6 or <see cref="SlotCalendar.HolidayClass"/> (see <see cref="SlotCalendar.DayClass"/>).</param>
/// <param name="SlotOfDay">Per slot: index within its local day.</param>
/// <param name="DayOfWeek">Per slot: the local weekday, 0 Sunday .. 6 Saturday, whatever the holiday calendar says.</param>
/// <param name="AdjustedWorkday">Per slot: whether its date is a weekend day worked in exchange for a holiday.</param>
/// <param name="DaysToHoliday">Per slot: days to the next holiday's first day, capped at 30.</param>
/// <param name="DayIntoHoliday">Per slot: 1 on a holiday's first day, 2 on its second ..., 0 outside holidays.</param>
public sealed record SlotTimes(int[] DayClass, int[] SlotOfDay, int[] DayOfWeek, bool[] AdjustedWorkday, int[] DaysToHoliday, int[] DayIntoHoliday)
{
    /// <summary>Number of slots described.</summary>
    public int Count => DayClass.Length;

    /// <summary>
    /// The kind of holiday day slot <paramref name="slot"/> lies on: 0 outside holidays, 1 a holiday's first day, 2 its
    /// last, 3 a day between (travel days at a holiday's ends differ from its middle). The last day is told by the slot
    /// a day later; where that lies past the run, the day counts as one between.
    /// </summary>
    public int HolidayDay(int slot, int perDay) => DayIntoHoliday[slot] switch
    {
        0 => 0,
        1 => 1,
        _ when slot + perDay < Count && DayIntoHoliday[slot + perDay] == 0 => 2,
        _ => 3,
    };

    /// <summary>Number of kinds <see cref="HolidayDay"/> tells apart.</summary>
    public const int HolidayDayKinds = 4;

    /// <summary>The kinds of <see cref="HolidayDay"/> in words, by kind.</summary>
    public static readonly IReadOnlyList<string> HolidayDayNames =
        ["ordinary days", "a holiday's first day", "a holiday's last day", "the days between a holiday's first and last"];
}
