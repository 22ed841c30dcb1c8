namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// An event that draws people to a venue: they arrive over <paramref name="ArrivalMinutes"/> before
/// <paramref name="StartMs"/> (in the shape of <paramref name="Profile"/>), walk in from the cells around the venue,
/// stay until <paramref name="EndMs"/> and leave over <paramref name="DepartureMinutes"/>.
/// </summary>
/// <param name="Name">What it is called in reports.</param>
/// <param name="Venue">The venue's cells.</param>
/// <param name="Attendance">People it draws on top of the usual crowd.</param>
/// <param name="StartMs">When it begins, Unix ms.</param>
/// <param name="EndMs">When it ends, Unix ms.</param>
/// <param name="ArrivalMinutes">Minutes before the start over which people arrive.</param>
/// <param name="DepartureMinutes">Minutes after the end over which they leave.</param>
/// <param name="Profile">How arrivals spread over their minutes.</param>
public sealed record ScenarioEvent(string Name, int[] Venue, double Attendance, long StartMs, long EndMs, int ArrivalMinutes, int DepartureMinutes,
    ArrivalProfile Profile = ArrivalProfile.Uniform)
{
    /// <summary>Share of the attendance arrived by <paramref name="ms"/>.</summary>
    public double Arrived(long ms) => Profile.Share(ArrivalMinutes <= 0 ? (ms >= StartMs ? 1 : 0) : (ms - (StartMs - (ArrivalMinutes * 60_000.0))) / (ArrivalMinutes * 60_000.0));

    /// <summary>Share of the attendance gone by <paramref name="ms"/> (leaving is spread evenly).</summary>
    public double Departed(long ms) => DepartureMinutes <= 0 ? (ms >= EndMs ? 1 : 0) : Math.Clamp((ms - EndMs) / (DepartureMinutes * 60_000.0), 0, 1);
}
