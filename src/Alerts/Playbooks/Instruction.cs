namespace CrowdWatch.Alerts.Playbooks;

/// <summary>What to do, in both languages of a warning.</summary>
/// <param name="Zh">In Chinese.</param>
/// <param name="En">In English.</param>
public sealed record Instruction(string Zh, string En);
