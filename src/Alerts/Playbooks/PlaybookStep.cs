using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Playbooks;

/// <summary>One entry of a response playbook: at <paramref name="Level"/> in <paramref name="Place"/> (a place id, or <c>*</c> for any), do this.</summary>
/// <param name="Place">The place id, for example <c>zone:hongyadong</c>, or <c>*</c>.</param>
/// <param name="Level">The level it applies from.</param>
/// <param name="Instruction">What to do.</param>
public sealed record PlaybookStep(string Place, RiskLevel Level, Instruction Instruction);
