namespace CrowdWatch.Geo.Binning;

/// <summary>
/// What one slot of one area holds once binned: distinct devices, flows and zone-to-zone movements per cell, plus
/// search heat and named pre-aggregated channels. Arrays are dense over the grid's cells; absent channels are null.
/// </summary>
public sealed class SlotCounts
{
    internal SlotCounts(string area, long slotStartMs, int cells)
    {
        Area = area;
        SlotStartMs = slotStartMs;
        CellCount = cells;
    }

    /// <summary>The area.</summary>
    public string Area { get; }

    /// <summary>The slot's UTC start in Unix milliseconds.</summary>
    public long SlotStartMs { get; }

    /// <summary>Number of cells in the grid.</summary>
    public int CellCount { get; }

    /// <summary>Distinct devices seen per cell.</summary>
    public int[]? Devices { get; internal set; }

    /// <summary>Devices arriving per cell (their previous sighting was in another cell).</summary>
    public int[]? Inflow { get; internal set; }

    /// <summary>Devices leaving per cell (their next sighting is in another cell).</summary>
    public int[]? Outflow { get; internal set; }

    /// <summary>Movements between zones: (origin zone, destination zone) → devices; -1 is "outside every zone".</summary>
    public Dictionary<(int Origin, int Destination), int>? Movements { get; internal set; }

    /// <summary>Summed map-search heat per cell.</summary>
    public double[]? Search { get; internal set; }

    /// <summary>Summed pre-aggregated channels per cell, by channel name.</summary>
    public Dictionary<string, double[]>? Channels { get; internal set; }
}
