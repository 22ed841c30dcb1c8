namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>One event in an alert's life: what happened, the alert after it, who did it and why.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Alert">The alert after the event (its <see cref="Alert.Version"/> is the event's sequence).</param>
/// <param name="AtMs">When, Unix ms.</param>
/// <param name="Actor">An operator, or <c>system</c>.</param>
/// <param name="Note">The operator's note or the system's reason.</param>
/// <param name="Previous">The alert before the event (null for the raise): its level and last message are what an update refers to.</param>
public sealed record AlertChange(AlertChangeKind Kind, Alert Alert, long AtMs, string Actor, string? Note, Alert? Previous);
