namespace CrowdWatch.Forecast.Scenarios;

/// <summary>
/// One step of the flow model: the people per cell after it, and the people that crossed each edge
/// (<see cref="AtoB"/>, <see cref="BtoA"/>, by the network's edge order).
/// </summary>
public sealed record FlowStep(double[] People, double[] AtoB, double[] BtoA);
