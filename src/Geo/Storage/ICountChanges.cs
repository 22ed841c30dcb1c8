namespace CrowdWatch.Geo.Storage;

/// <summary>
/// Hears that counts were stored, so that the live map is pushed on write rather than found by polling. Every count
/// store raises it for its own writes; a store that can hear other writers (PostgreSQL's LISTEN/NOTIFY) raises it for
/// theirs too while it listens.
/// </summary>
public interface ICountChanges
{
    /// <summary>
    /// Raised after counts of an area were stored, with the area's name (once per write; once per area after a
    /// listener reconnects, for what it may have missed).
    /// Handlers must return at once (they run on the writer's or the listener's thread).
    /// </summary>
    event Action<string>? Stored;

    /// <summary>
    /// Listens for other writers' stores until <paramref name="cancellationToken"/> ends, raising <see cref="Stored"/>
    /// for each; returns at once where the store hears only its own writes.
    /// </summary>
    Task ListenAsync(CancellationToken cancellationToken);

    /// <summary>Whether <see cref="ListenAsync"/> hears other writers (other processes, other nodes) at all.</summary>
    bool HearsOtherWriters { get; }
}
