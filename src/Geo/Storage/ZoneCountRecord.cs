namespace CrowdWatch.Geo.Storage;

/// <summary>One value of one channel for a whole zone in one slot: its cells' values by the share of each it covers.</summary>
/// <param name="SlotStartMs">UTC start of the slot, Unix milliseconds.</param>
/// <param name="Channel">What is counted, for example <c>people</c>.</param>
/// <param name="Zone">The zone's name in its area.</param>
/// <param name="Value">The zone's total.</param>
public readonly record struct ZoneCountRecord(long SlotStartMs, string Channel, string Zone, double Value);
