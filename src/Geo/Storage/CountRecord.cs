namespace CrowdWatch.Geo.Storage;

/// <summary>One value of one channel (devices, people, search heat, ...) in one cell and slot.</summary>
/// <param name="SlotStartMs">UTC start of the slot, Unix milliseconds.</param>
/// <param name="Channel">What is counted, for example <c>devices</c> or <c>search</c>.</param>
/// <param name="Cell">The cell id in the area's grid.</param>
/// <param name="Value">The count.</param>
public readonly record struct CountRecord(long SlotStartMs, string Channel, int Cell, double Value);
