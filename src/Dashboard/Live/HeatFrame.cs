namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// One slot of an area's heat map pushed over the live hub. A frame of ten thousand cells must cost little to write to
/// a thousand clients, so its <see cref="Count"/> cells are packed into <see cref="Cells"/>, two unsigned LEB128
/// varints a cell, in ascending cell order: the gap from the cell before (the first from 0), then
/// <c>0</c> for a cell under the area's k (low density, no number shown) or <c>((people + 1) &lt;&lt; 3) | level</c>,
/// people whole (0: the cell emptied) and level 0 (none) to 4 (Red). Neighbouring cells with up to 2 046 people take
/// three bytes a cell (MessagePack columns took four, JSON eight). Density is people over the cell's walkable m²
/// (<c>walkable_m2</c> of <c>/api/areas/{name}/layers/cells</c>). A frame holds only the cells that changed since the
/// previous one (<see cref="Full"/> false), or every cell with anyone in it (true: the first frame, or one asked for
/// after a reconnect). In the JSON protocol <see cref="Cells"/> is base64.
/// </summary>
public sealed record HeatFrame(string Area, string Slot, long SlotMs, bool Full, int Count, byte[] Cells)
{
    /// <summary>A frame of <paramref name="cells"/>, in ascending cell order.</summary>
    public static HeatFrame Of(string area, string slot, long slotMs, bool full, IReadOnlyList<HeatCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var packed = new byte[cells.Count * 2 * 5];
        var at = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            var gap = cells[i].C - (i == 0 ? 0 : cells[i - 1].C);
            if (gap < 0 || (i > 0 && gap == 0)) throw new ArgumentException("cells: expected ascending cell ids, each once", nameof(cells));
            at = Put(packed, at, (uint)gap);
            at = Put(packed, at, cells[i].P is { } p ? ((uint)Math.Round(p) + 1) << 3 | cells[i].L : 0u);
        }

        return new HeatFrame(area, slot, slotMs, full, cells.Count, packed[..at]);
    }

    /// <summary>The frame's cells back as rows: people null under k (density left out).</summary>
    public IReadOnlyList<(int Cell, int? People, int Level)> Rows()
    {
        var rows = new (int, int?, int)[Count];
        var (at, id) = (0, 0);
        for (var i = 0; i < rows.Length; i++)
        {
            id += (int)Take(Cells, ref at);
            var value = Take(Cells, ref at);
            rows[i] = value == 0 ? (id, null, 0) : (id, (int)(value >> 3) - 1, (int)(value & 7));
        }

        return rows;
    }

    /// <summary>The cell ids, ascending.</summary>
    public int[] CellIds() => [.. Rows().Select(r => r.Cell)];

    /// <summary>The cells' people in <see cref="CellIds"/> order (null under k).</summary>
    public int?[] People() => [.. Rows().Select(r => r.People)];

    private static int Put(byte[] to, int at, uint value)
    {
        for (; value >= 0x80; value >>= 7) to[at++] = (byte)(value | 0x80);
        to[at++] = (byte)value;
        return at;
    }

    private static uint Take(byte[] from, ref int at)
    {
        var value = 0u;
        for (var shift = 0; ; shift += 7)
        {
            var b = from[at++];
            value |= (uint)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
