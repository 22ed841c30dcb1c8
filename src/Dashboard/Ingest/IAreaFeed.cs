using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Dashboard.Ingest;

/// <summary>
/// Where one area's posted pings and searches go: the area's own binner in this process (<see cref="AreaIngest"/>), or,
/// when CrowdWatch runs as several nodes, the shared ingest log that the partitions' workers bin from.
/// </summary>
public interface IAreaFeed
{
    /// <summary>The area fed.</summary>
    Area Area { get; }

    /// <summary>Slots closed and stored by this feed so far (none where workers elsewhere store them).</summary>
    int SlotsStored { get; }

    /// <summary>Takes pings (CSV with a header, or NDJSON) named <paramref name="name"/> in problems.</summary>
    Task<IngestReport> PingsAsync(Stream input, string name, bool ndjson, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default);

    /// <summary>Takes map-search records (CSV with a header) named <paramref name="name"/>.</summary>
    Task<IngestReport> SearchesAsync(Stream input, string name, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default);

    /// <summary>The feed has gone quiet until <paramref name="nowMs"/>: slots that ended a lateness before are closed.</summary>
    Task AdvanceAsync(long nowMs, CancellationToken cancellationToken = default);

    /// <summary>The end of the input: every open slot is closed.</summary>
    Task CompleteAsync(CancellationToken cancellationToken = default);
}
