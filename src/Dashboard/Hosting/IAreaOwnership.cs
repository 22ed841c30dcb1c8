namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// Which areas this node judges and draws live frames for. One process owns every area; several nodes deal the areas
/// out by lease (<see cref="Cluster.AreaLeases"/>), so that each area has one judge at a time.
/// </summary>
public interface IAreaOwnership
{
    /// <summary>Whether several nodes share the areas (their alert state then lives in the store, read back often).</summary>
    bool Shared { get; }

    /// <summary>
    /// This node's term as <paramref name="area"/>'s owner: 0 while it does not own it, a new number each time it takes
    /// it, so that a taker reads the area's state afresh.
    /// </summary>
    long TermOf(string area);

    /// <summary>Raised when this node takes an area (its name): what it owns now must be looked at, not waited for.</summary>
    event Action<string>? Taken;

    /// <summary>The last slot judged for <paramref name="area"/> by any owner (start, Unix ms); null if not known.</summary>
    Task<long?> JudgedThroughAsync(string area, CancellationToken cancellationToken = default);

    /// <summary>Notes that slot <paramref name="slotMs"/> of <paramref name="area"/> was judged; false if this node no longer owns the area.</summary>
    Task<bool> MarkJudgedAsync(string area, long slotMs, CancellationToken cancellationToken = default);
}
