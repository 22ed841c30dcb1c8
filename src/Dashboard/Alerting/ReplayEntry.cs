using CrowdWatch.Alerts.Lifecycle;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>One alert event of a replay, with the slot that caused it.</summary>
/// <param name="SlotMs">Start of the slot whose data caused it, Unix ms.</param>
/// <param name="Change">The event.</param>
internal sealed record ReplayEntry(long SlotMs, AlertChange Change);
