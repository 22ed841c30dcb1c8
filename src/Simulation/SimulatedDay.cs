namespace CrowdWatch.Simulation;

/// <summary>
/// One simulated local day: the pings the feed saw (in time order), the map searches, and the true number of people
/// per cell at the middle of each slot. Coordinates are kept in units of 1e-7 degrees, exactly as they are written, so
/// that binning these pings and ingesting the written file agree to the last cell.
/// </summary>
public sealed class SimulatedDay
{
    internal SimulatedDay(DateOnly date, long dayStartUtcMs, int slotMinutes, int cells, int[] truth)
    {
        Date = date;
        DayStartUtcMs = dayStartUtcMs;
        SlotMinutes = slotMinutes;
        Cells = cells;
        Truth = truth;
    }

    /// <summary>The local date.</summary>
    public DateOnly Date { get; }

    /// <summary>Local midnight as Unix milliseconds.</summary>
    public long DayStartUtcMs { get; }

    /// <summary>Slot length.</summary>
    public int SlotMinutes { get; }

    /// <summary>Cells in the grid.</summary>
    public int Cells { get; }

    /// <summary>Slots in the day.</summary>
    public int Slots => 24 * 60 / SlotMinutes;

    /// <summary>People per cell at the middle of each slot: <c>Truth[slot * Cells + cell]</c>.</summary>
    public int[] Truth { get; }

    /// <summary>Ping times, Unix ms, ascending.</summary>
    public long[] PingMs { get; internal set; } = [];

    /// <summary>Ping device, an index into <see cref="DeviceIds"/>.</summary>
    public int[] PingDevice { get; internal set; } = [];

    /// <summary>Ping latitude in 1e-7 degrees.</summary>
    public int[] PingLat7 { get; internal set; } = [];

    /// <summary>Ping longitude in 1e-7 degrees.</summary>
    public int[] PingLon7 { get; internal set; } = [];

    /// <summary>Reported accuracy radius in metres.</summary>
    public byte[] PingAccuracy { get; internal set; } = [];

    /// <summary>Raw device ids as the feed reports them (the ingest pseudonymises them).</summary>
    public string[] DeviceIds { get; internal set; } = [];

    /// <summary>Search times, Unix ms, ascending.</summary>
    public long[] SearchMs { get; internal set; } = [];

    /// <summary>The query text of each search.</summary>
    public string[] SearchQuery { get; internal set; } = [];

    /// <summary>The POI id of each search, or empty when the record carries only the query text.</summary>
    public string[] SearchPoi { get; internal set; } = [];

    /// <summary>Whether each search led to a visit (false: the searcher never came).</summary>
    public bool[] SearchLeadsToVisit { get; internal set; } = [];

    /// <summary>Arrivals per place and local hour, for checking that searches lead arrivals: <c>[place][hour]</c>.</summary>
    public int[][] Arrivals { get; internal set; } = [];

    /// <summary>People simulated (present in the area at some time of the day).</summary>
    public int PeoplePresent { get; internal set; }
}
