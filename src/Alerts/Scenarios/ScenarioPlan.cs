namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// A scenario ready to run: the people each cell would hold at each step without it (<paramref name="Demand"/>, the
/// baseline with its global changes), and the events, closures and admission limits laid over that.
/// </summary>
/// <param name="Name">The scenario's name.</param>
/// <param name="FromMs">Its first instant, Unix ms.</param>
/// <param name="StepMinutes">Minutes per step.</param>
/// <param name="Demand">People per cell at each of the Steps + 1 points (index 0 = <paramref name="FromMs"/>).</param>
/// <param name="DwellMinutes">How long a visitor stays on average: what sets the turnover admission limits act on.</param>
/// <param name="Events">Events drawing people on top of the demand.</param>
/// <param name="Closures">Cells shut.</param>
/// <param name="Admissions">Limits on people let into zones.</param>
public sealed record ScenarioPlan(string Name, long FromMs, int StepMinutes, double[][] Demand, double DwellMinutes,
    IReadOnlyList<ScenarioEvent> Events, IReadOnlyList<ScenarioClosure> Closures, IReadOnlyList<AdmissionLimit> Admissions)
{
    /// <summary>Number of steps.</summary>
    public int Steps => Demand.Length - 1;

    /// <summary>Milliseconds per step.</summary>
    public long StepMs => StepMinutes * 60_000L;

    /// <summary>The instant of point <paramref name="i"/> (0 = the start).</summary>
    public long At(int i) => FromMs + (i * StepMs);
}
