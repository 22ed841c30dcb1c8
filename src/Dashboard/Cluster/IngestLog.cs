using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// The durable ingest log: one Redis stream per partition (area x block of cells). A post's entries are appended in
/// one MULTI/EXEC transaction, so a post is logged whole or not at all, and it is acknowledged only after Redis
/// answered (with AOF on, after Redis wrote it to its log).
/// </summary>
public sealed class IngestLog(ClusterRedis redis)
{
    /// <summary>The stream of partition <paramref name="block"/> of <paramref name="area"/>; the area in braces keeps an area's streams in one Redis Cluster slot.</summary>
    public static string StreamOf(string area, int block) => $"crowdwatch:log:{{{area}}}:{block}";

    /// <summary>Entries appended since start (a metric for the benchmark).</summary>
    public long EntriesAppended => Interlocked.Read(ref _appended);

    private long _appended;

    /// <summary>Appends the entries (stream, kind, packed records) at once; throws <see cref="IngestLogUnavailableException"/> when Redis did not take them.</summary>
    public async Task AppendAsync(IReadOnlyList<(string Stream, string Kind, byte[] Data)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return;
        try
        {
            var tx = redis.Database.CreateTransaction();
            var adds = entries.Select(e => tx.StreamAddAsync(e.Stream, [new NameValueEntry(LogRecords.KindField, e.Kind), new NameValueEntry(LogRecords.DataField, e.Data)])).ToList();
            if (!await tx.ExecuteAsync().ConfigureAwait(false)) throw new IngestLogUnavailableException("Redis did not apply the transaction");
            await Task.WhenAll(adds).ConfigureAwait(false);
            Interlocked.Add(ref _appended, entries.Count);
        }
        catch (RedisException e)
        {
            throw new IngestLogUnavailableException($"Redis did not take the post: {e.Message}", e);
        }
    }
}
