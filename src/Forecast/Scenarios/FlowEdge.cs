namespace CrowdWatch.Forecast.Scenarios;

/// <summary>
/// A passage between two neighbouring cells, walkable both ways, <paramref name="WidthM"/> metres wide: at most
/// width × the flow rate people cross it a minute, in each direction.
/// </summary>
public readonly record struct FlowEdge(int A, int B, double WidthM);
