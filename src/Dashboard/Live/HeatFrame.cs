namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// One slot of an area's heat map pushed over the live hub, column by column to keep frames of ten thousand cells
/// small: <see cref="Cells"/> the cell ids (ascending), <see cref="People"/> their people, whole (null under the area's k:
/// low density; 0 when the cell emptied), <see cref="Levels"/> their levels, 0 (none) to 4 (Red). Whole numbers keep a
/// MessagePack frame at one to three bytes a value (a double would take nine). Density is people
/// over the cell's walkable m² (<c>walkable_m2</c> of <c>/api/areas/{name}/layers/cells</c>). A frame holds only the
/// cells that changed since the previous one (<see cref="Full"/> false), or every cell with anyone in it (true: the
/// first frame, or one asked for after a reconnect).
/// </summary>
public sealed record HeatFrame(string Area, string Slot, long SlotMs, bool Full, int[] Cells, int?[] People, int[] Levels)
{
    /// <summary>A frame of <paramref name="cells"/>.</summary>
    public static HeatFrame Of(string area, string slot, long slotMs, bool full, IReadOnlyList<HeatCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return new HeatFrame(area, slot, slotMs, full, [.. cells.Select(c => c.C)], [.. cells.Select(c => c.P is { } p ? (int)Math.Round(p) : (int?)null)], [.. cells.Select(c => (int)c.L)]);
    }

    /// <summary>The frame's cells back as rows (density left out).</summary>
    public IEnumerable<(int Cell, int? People, int Level)> Rows() => Cells.Select((c, i) => (c, People[i], Levels[i]));
}
