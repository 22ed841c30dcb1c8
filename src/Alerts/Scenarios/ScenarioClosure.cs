namespace CrowdWatch.Alerts.Scenarios;

/// <summary>Cells shut to the public from <paramref name="FromMs"/> until <paramref name="ToMs"/>: a zone or a street closed.</summary>
/// <param name="Name">What is closed, for reports.</param>
/// <param name="Cells">The cells shut.</param>
/// <param name="FromMs">When the closure begins, Unix ms.</param>
/// <param name="ToMs">When it ends, Unix ms.</param>
public sealed record ScenarioClosure(string Name, int[] Cells, long FromMs, long ToMs)
{
    /// <summary>Whether the closure holds at <paramref name="ms"/>.</summary>
    public bool Holds(long ms) => ms >= FromMs && ms < ToMs;
}
