using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>A warning the alert rules would give during a scenario.</summary>
/// <param name="AtMs">When, Unix ms.</param>
/// <param name="Level">Its level.</param>
/// <param name="Kind">What fired: the density reached, or a surge towards it.</param>
/// <param name="Reason">The rule's reason with its figures.</param>
public sealed record ScenarioWarning(long AtMs, RiskLevel Level, TriggerKind Kind, string Reason);
