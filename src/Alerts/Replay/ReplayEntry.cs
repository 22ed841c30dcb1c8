using CrowdWatch.Alerts.Lifecycle;

namespace CrowdWatch.Alerts.Replay;

/// <summary>One alert event of a replay, with the slot that caused it.</summary>
/// <param name="SlotMs">Start of the slot whose data caused it, Unix ms.</param>
/// <param name="Change">The event.</param>
public sealed record ReplayEntry(long SlotMs, AlertChange Change);
