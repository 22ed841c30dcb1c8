namespace CrowdWatch.Forecast.Scenarios;

/// <summary>
/// Admission gates for the flow model: <see cref="GateOf"/> names each cell's gated group (-1 for none) and
/// <see cref="Budget"/> holds how many people may still walk into each group from outside it; a step takes what entered
/// off the budget.
/// </summary>
/// <param name="GateOf">Per cell, its gate's index or -1.</param>
/// <param name="Budget">Per gate, people still allowed in.</param>
public sealed record FlowGates(int[] GateOf, double[] Budget);
