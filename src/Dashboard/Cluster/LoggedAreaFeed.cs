using System.Buffers;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// An area's feed on a node of several: a post is validated and pseudonymised here, exactly as a single CrowdWatch
/// does, then appended to the log of each block its records fall in, and answered once Redis has it. The blocks'
/// workers bin and store the slots, so this feed stores none, and lateness and same-second duplicates are settled
/// there (they are not in the post's answer).
/// </summary>
internal sealed class LoggedAreaFeed(Area area, IngestLog log, PseudonymKey key, CellBlocks blocks, PoiGazetteer? gazetteer, double maxAccuracyM,
    FutureBound? future = null) : IAreaFeed
{
    // Entries of at most this many bytes (about 9,000 pings): Redis takes large posts in pieces it can interleave.
    private const int EntryBytes = 256 * 1024;

    /// <inheritdoc />
    public Area Area { get; } = area;

    /// <inheritdoc />
    public int SlotsStored => 0;

    /// <inheritdoc />
    public async Task<IngestReport> PingsAsync(Stream input, string name, bool ndjson, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default)
    {
        var report = new IngestReport();
        LoggedPings target;
        using (var pseudonymiser = new Pseudonymiser(key))
        {
            var devices = new DeviceDirectory(pseudonymiser);
            target = new LoggedPings(Area.Grid, blocks, devices);
            var pings = new PingIngest(devices, target, maxAccuracyM, TimeSpan.FromDays(365)) { Future = future };
            if (ndjson) pings.ReadNdjson(input, name, new RejectLog(report, observer: rejected));
            else pings.ReadCsv(input, name, new RejectLog(report, observer: rejected));
        }

        await log.AppendAsync(Entries(target.ByBlock, LogRecords.Pings, LogRecords.PingBytes)).ConfigureAwait(false);
        return report;
    }

    /// <inheritdoc />
    public async Task<IngestReport> SearchesAsync(Stream input, string name, Action<Rejection>? rejected = null, CancellationToken cancellationToken = default)
    {
        var report = new IngestReport();
        var target = new LoggedSums(blocks);
        new SearchIngest(Area.Grid, target, gazetteer) { Future = future }.ReadCsv(input, name, new RejectLog(report, observer: rejected));
        await log.AppendAsync(Entries(target.ByBlock, LogRecords.Sums, 0)).ConfigureAwait(false);
        return report;
    }

    /// <inheritdoc />
    /// <remarks>The blocks' workers close a quiet feed's slots by their own clocks.</remarks>
    public Task AdvanceAsync(long nowMs, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task CompleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    // Each block's records cut into entries; a ping entry is cut between records (fixed size), a sum entry is one piece.
    private List<(string Stream, string Kind, byte[] Data)> Entries(IReadOnlyDictionary<int, ArrayBufferWriter<byte>> byBlock, string kind, int recordBytes)
    {
        var entries = new List<(string, string, byte[])>();
        foreach (var (block, buffer) in byBlock.OrderBy(b => b.Key))
        {
            var data = buffer.WrittenMemory;
            var piece = recordBytes > 0 ? EntryBytes / recordBytes * recordBytes : data.Length;
            for (var at = 0; at < data.Length; at += piece)
                entries.Add((IngestLog.StreamOf(Area.Name, block), kind, data.Slice(at, Math.Min(piece, data.Length - at)).ToArray()));
        }

        return entries;
    }
}
