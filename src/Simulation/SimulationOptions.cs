namespace CrowdWatch.Simulation;

/// <summary>What to simulate: how many people, seen through how large a panel, with how much noise and bad input.</summary>
public sealed record SimulationOptions
{
    /// <summary>The seed: the same seed gives byte-identical output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// People in the area on an ordinary working day: residents (40%), commuters (20%) and visitors (40%). Weekends and
    /// holidays bring more visitors; commuters stay away on days off.
    /// </summary>
    public int People { get; init; } = 200_000;

    /// <summary>Share of people whose device the feed sees (the deployment's panel factor).</summary>
    public double PanelFactor { get; init; } = 0.1;

    /// <summary>Share of seen devices reported by two sources, each of their pings arriving twice within a second.</summary>
    public double DuplicateShare { get; init; } = 0.03;

    /// <summary>Share of output rows replaced by malformed ones (bad timestamp, coordinates out of range, truncated line).</summary>
    public double MalformedRate { get; init; } = 0.001;

    /// <summary>Share of visits preceded by a map search for the destination, one to three hours ahead.</summary>
    public double SearchShare { get; init; } = 0.4;

    /// <summary>Searches by people who never come, as a share of the searches that lead to a visit.</summary>
    public double BrowsingShare { get; init; } = 0.3;
}
