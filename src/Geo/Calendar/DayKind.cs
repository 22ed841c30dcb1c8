namespace CrowdWatch.Geo.Calendar;

/// <summary>What kind of day a local date is, for crowds: people behave by it more than by the weekday's name.</summary>
public enum DayKind
{
    /// <summary>A working day (Monday to Friday, or a weekend day made a working day to bridge a holiday).</summary>
    Workday,

    /// <summary>A Saturday or Sunday that is not a working day.</summary>
    Weekend,

    /// <summary>A public holiday (including the weekend days inside a holiday period).</summary>
    Holiday,
}
