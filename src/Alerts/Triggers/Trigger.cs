using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Triggers;

/// <summary>One reason to warn about a place at a level.</summary>
/// <param name="Kind">What fired.</param>
/// <param name="Level">The level it warns of.</param>
/// <param name="Certainty">How sure.</param>
/// <param name="Probability">For forecast triggers, the probability of the level within the horizon; 1 for observed.</param>
/// <param name="ExpectedAtMs">When the level is expected to be reached, Unix ms (the slot itself for observed).</param>
/// <param name="Reason">A short English explanation with the figures, for operators and the audit log.</param>
public sealed record Trigger(TriggerKind Kind, RiskLevel Level, Certainty Certainty, double Probability, long ExpectedAtMs, string Reason);
