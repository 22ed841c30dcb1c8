using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Storage;

/// <summary>What a store records of each slot a batch wrote: how many cell rows it holds.</summary>
internal static class SlotRows
{
    /// <summary>Rows per slot, in one pass (a GroupBy over a million rows costs more than the tail of their COPY).</summary>
    public static Dictionary<long, int> Count(IReadOnlyList<CountRecord> rows)
    {
        var perSlot = new Dictionary<long, int>();
        foreach (var row in rows) perSlot[row.SlotStartMs] = perSlot.GetValueOrDefault(row.SlotStartMs) + 1;
        return perSlot;
    }
}
