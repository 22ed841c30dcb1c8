using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Areas;

/// <summary>
/// One named area of a deployment (a district, a scenic spot) with its own grid, time zone and counting rules.
/// Every count, forecast and alert carries its area's name, so areas can be spread over machines later.
/// </summary>
public sealed record AreaSettings
{
    /// <summary>Unique name, e.g. <c>chongqing</c>: letters, digits, '-' and '_'.</summary>
    public required string Name { get; init; }

    /// <summary>The grid.</summary>
    public required GridDefinition Grid { get; init; }

    /// <summary>IANA zone slots are aligned in and calendars are read in.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Slot length in minutes (5, 10, 15, 30 or 60).</summary>
    public int SlotMinutes { get; init; } = 15;

    /// <summary>Devices observed per person present (the panel's coverage): people = devices / factor.</summary>
    public double PanelFactor { get; init; } = 1.0;

    /// <summary>Fewest people a viewer may see a number for.</summary>
    public int K { get; init; } = 10;

    /// <summary>Walkable share of cells with no surveyed walkable surface.</summary>
    public double WalkableFraction { get; init; } = WalkableArea.DefaultFraction;

    /// <summary>Checks the settings that do not need files; returns the problems found.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            problems.Add($"area name '{Name}' must be non-empty and use only letters, digits, '-' and '_'");
        if (!Time.SlotClock.SupportedMinutes.Contains(SlotMinutes))
            problems.Add($"area '{Name}': slotMinutes {SlotMinutes} must be one of {string.Join(", ", Time.SlotClock.SupportedMinutes)}");
        if (!(PanelFactor is > 0 and <= 10)) problems.Add($"area '{Name}': panelFactor {PanelFactor} must be in (0, 10]");
        if (K < 1) problems.Add($"area '{Name}': k {K} must be at least 1");
        if (!(WalkableFraction is > 0 and <= 1)) problems.Add($"area '{Name}': walkableFraction {WalkableFraction} must be in (0, 1]");
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"area '{Name}': time zone '{TimeZone}' is not a known IANA zone id");
        }

        return problems;
    }
}
