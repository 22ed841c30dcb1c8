namespace CrowdWatch.Geo.Calendar;

/// <summary>
/// An event that draws people to a zone: on its dates (or daily), between local start and end times (an end before
/// the start runs past midnight), with an expected attendance on top of an ordinary day.
/// </summary>
/// <param name="NameEn">English name.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="Zone">The zone's name.</param>
/// <param name="From">First date, or null for a daily event.</param>
/// <param name="To">Last date, or null for a daily event.</param>
/// <param name="Start">Local start time.</param>
/// <param name="End">Local end time.</param>
/// <param name="Attendance">Expected people drawn by the event.</param>
public sealed record CrowdEvent(string NameEn, string NameZh, string Zone, DateOnly? From, DateOnly? To, TimeOnly Start, TimeOnly End, int Attendance)
{
    /// <summary>Whether the event takes place on <paramref name="date"/> (the date it starts).</summary>
    public bool OccursOn(DateOnly date) => From is null || (date >= From && date <= To);

    /// <summary>How long it lasts.</summary>
    public TimeSpan Duration => End > Start ? End - Start : End.ToTimeSpan() + TimeSpan.FromDays(1) - Start.ToTimeSpan();
}
