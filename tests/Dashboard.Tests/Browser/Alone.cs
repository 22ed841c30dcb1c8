namespace CrowdWatch.Dashboard.Tests.Browser;

/// <summary>
/// Tests that time what a user would see (a warning within 10 s, the main job's replay) run after the others, alone,
/// so that the rest of the suite does not share the machine with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    /// <summary>The collection's name.</summary>
    public const string Name = "alone";
}
