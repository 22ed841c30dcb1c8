namespace CrowdWatch.Dashboard.Alerting;

/// <summary>A slot of an area whose counts are in and can be judged.</summary>
/// <param name="Area">The area.</param>
/// <param name="SlotMs">The slot's start, Unix ms.</param>
/// <param name="SeenMs">When its counts were seen to be in, Unix ms (for latency).</param>
/// <param name="Term">The node's term as the area's owner when it was queued (see <see cref="Hosting.IAreaOwnership"/>).</param>
internal readonly record struct SlotReady(string Area, long SlotMs, long SeenMs, long Term);
