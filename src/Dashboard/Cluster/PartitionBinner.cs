using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using StackExchange.Redis;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// The binners of one partition (an area's block of cells) on the node that holds its lease. It reads the block's
/// stream through the consumer group, bins pings and sums searches as a single CrowdWatch does, stores each slot as it
/// closes, and acknowledges an entry only once every slot its records fall in is stored: whatever a dead owner had
/// not stored is still pending, and the next owner claims it (XAUTOCLAIM) and bins it again. Slots the store already
/// holds are closed from the start, so nothing is counted twice.
/// </summary>
internal sealed class PartitionBinner : IDisposable
{
    /// <summary>The consumer group of the workers.</summary>
    public const string Group = "binners";

    private const int ReadCount = 64;
    private readonly IDatabase _db;
    private readonly ICountStore _store;
    private readonly string _consumer;
    private readonly long _slotMs;
    private readonly long _latenessMs;
    private readonly long _evictMs;
    private readonly Pseudonymiser _pseudonymiser = new(PseudonymKey.Ephemeral());
    private readonly DeviceDirectory _devices;
    private readonly PingBinner _pings;
    private readonly SumBinner _sums;
    private readonly List<CountBatch> _closed = [];
    private readonly List<(RedisValue Id, bool Pings, long MaxSlot)> _unacked = [];
    private long _pingsClosed = long.MinValue;
    private long _sumsClosed = long.MinValue;
    private long _nextEvictionMs = long.MinValue;

    private PartitionBinner(Area area, int block, IDatabase db, ICountStore store, string consumer, TimeSpan lateness)
    {
        (Area, Block, _db, _store, _consumer) = (area, block, db, store, consumer);
        Stream = IngestLog.StreamOf(area.Name, block);
        _slotMs = area.Settings.SlotMinutes * 60_000L;
        _latenessMs = (long)lateness.TotalMilliseconds;
        var gap = TimeSpan.FromMinutes(30);
        _evictMs = (long)(gap + lateness).TotalMilliseconds + _slotMs;
        _devices = new DeviceDirectory(_pseudonymiser);
        var batches = new SlotBatches(area);
        _pings = new PingBinner(area.Name, area.Grid, area.NewClock(), area.Zones, new PingBinnerOptions(lateness, gap, area.Settings.PanelFactor), c =>
        {
            _closed.Add(batches.Of(PingSource, c));
            _pingsClosed = Math.Max(_pingsClosed, c.SlotStartMs);
        });
        _sums = new SumBinner(area.Name, area.Grid.Spec.CellCount, area.NewClock(), lateness, c =>
        {
            _closed.Add(batches.Of(SearchSource, c));
            _sumsClosed = Math.Max(_sumsClosed, c.SlotStartMs);
        });
    }

    /// <summary>The area.</summary>
    public Area Area { get; }

    /// <summary>The block of the area's cells.</summary>
    public int Block { get; }

    /// <summary>The partition's stream.</summary>
    public string Stream { get; }

    /// <summary>The store source of the slots binned from this block's pings.</summary>
    public string PingSource => $"pings:live:{Block}";

    /// <summary>The store source of the slots summed from this block's searches.</summary>
    public string SearchSource => $"searches:live:{Block}";

    /// <summary>When the last entry was read (the node's clock, Unix ms).</summary>
    public long LastEntryMs { get; private set; }

    /// <summary>Records binned since this node took the partition (pings and searches).</summary>
    public long Records { get; private set; }

    /// <summary>Entries this version could not read.</summary>
    public int Unreadable { get; private set; }

    /// <summary>Entries taken over from an earlier owner and binned again.</summary>
    public int Reclaimed { get; private set; }

    /// <summary>
    /// Takes the partition over: the group exists, slots already stored are closed, every pending entry (a dead owner's
    /// or this node's own from before a restart) is claimed and binned again in log order.
    /// </summary>
    public static async Task<PartitionBinner> OpenAsync(Area area, int block, IDatabase db, ICountStore store, string consumer, TimeSpan lateness, long nowMs,
        CancellationToken cancellationToken)
    {
        var binner = new PartitionBinner(area, block, db, store, consumer, lateness) { LastEntryMs = nowMs };
        try
        {
            await binner.StartAsync(cancellationToken).ConfigureAwait(false);
            return binner;
        }
        catch
        {
            binner.Dispose();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _db.StreamCreateConsumerGroupAsync(Stream, Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group is there already.
        }

        // What the store holds is whole: records of those slots are late from the start, as they were for the last owner.
        foreach (var (source, binnerAdvance, setClosed) in new (string, Action<long>, Action<long>)[]
        {
            (PingSource, _pings.Advance, v => _pingsClosed = v),
            (SearchSource, _sums.Advance, v => _sumsClosed = v),
        })
        {
            var stored = await _store.SlotsOfSourceAsync(Area.Name, source, cancellationToken).ConfigureAwait(false);
            if (stored.Count == 0) continue;
            binnerAdvance(stored[^1] + _slotMs + _latenessMs);
            setClosed(stored[^1]);
        }

        var start = (RedisValue)"0-0";
        do
        {
            var claimed = await _db.StreamAutoClaimIdsOnlyAsync(Stream, Group, _consumer, 0, start, 1000).ConfigureAwait(false);
            Reclaimed += claimed.ClaimedIds.Length;
            start = claimed.NextStartId;
        }
        while (start != "0-0");

        // This consumer's pending entries, in log order: what the last owner read and had not acknowledged.
        var after = (RedisValue)"0-0";
        while (true)
        {
            var pending = await _db.StreamReadGroupAsync(Stream, Group, _consumer, after, ReadCount).ConfigureAwait(false);
            if (pending.Length == 0) break;
            foreach (var entry in pending) Take(entry);
            after = pending[^1].Id;
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and bins the entries that came since; stores and acknowledges what closed. False when there was none.</summary>
    public async Task<bool> PumpAsync(long nowMs, CancellationToken cancellationToken)
    {
        // Slots left unstored by a failed write go first: nothing is read past them until they are kept.
        if (_closed.Count > 0) await SettleAsync(cancellationToken).ConfigureAwait(false);
        var entries = await _db.StreamReadGroupAsync(Stream, Group, _consumer, StreamPosition.NewMessages, ReadCount).ConfigureAwait(false);
        if (entries.Length == 0) return false;
        LastEntryMs = nowMs;
        foreach (var entry in entries) Take(entry);
        await SettleAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The feed has been quiet: the binners move on to <paramref name="nowMs"/> and the slots that closes are stored.</summary>
    public async Task AdvanceAsync(long nowMs, CancellationToken cancellationToken)
    {
        _pings.Advance(nowMs);
        _sums.Advance(nowMs);
        // Nothing is open before the clock less the lateness now (unless the data run ahead of the clock): entries of
        // those slots may be acknowledged.
        var closed = Area.NewClock().SlotStartMs(nowMs - _latenessMs) - _slotMs;
        if (_pings.Watermark <= nowMs) _pingsClosed = Math.Max(_pingsClosed, closed);
        if (_sums.Watermark <= nowMs) _sumsClosed = Math.Max(_sumsClosed, closed);
        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Take(StreamEntry entry)
    {
        var kind = (string?)entry[LogRecords.KindField];
        var data = (byte[]?)entry[LogRecords.DataField];
        if (data is null || kind is not (LogRecords.Pings or LogRecords.Sums))
        {
            // Not an entry this version can read: counted, acknowledged with the next settled ones.
            Unreadable++;
            _unacked.Add((entry.Id, true, long.MinValue));
            return;
        }

        var clock = Area.NewClock();
        var maxSlot = long.MinValue;
        if (kind == LogRecords.Pings)
        {
            var records = LogRecords.ReadPings(data).ToArray();
            var cells = new int[records.Length];
            var ms = new long[records.Length];
            var devices = new int[records.Length];
            Span<byte> id = stackalloc byte[16];
            for (var i = 0; i < records.Length; i++)
            {
                (cells[i], ms[i], var pseudonym) = records[i];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(id, pseudonym);
                devices[i] = _devices.Resolve(id, ms[i], out var isNew);
                if (isNew) _pings.ResetDevice(devices[i]);
                maxSlot = Math.Max(maxSlot, clock.SlotStartMs(ms[i]));
            }

            _pings.AddCellBatch(cells, ms, devices, new BinOutcome[records.Length]);
            Records += records.Length;
            if (_pings.Watermark >= _nextEvictionMs)
            {
                if (_nextEvictionMs != long.MinValue) _devices.EvictIdle(_pings.Watermark - _evictMs);
                _nextEvictionMs = _pings.Watermark + (_evictMs / 4);
            }
        }
        else
        {
            foreach (var (cell, ms, channel, value) in LogRecords.ReadSums(data))
            {
                if ((uint)cell < (uint)Area.Grid.Spec.CellCount) _sums.Add(ms, cell, channel, value);
                maxSlot = Math.Max(maxSlot, clock.SlotStartMs(ms));
                Records++;
            }
        }

        _unacked.Add((entry.Id, kind == LogRecords.Pings, maxSlot));
    }

    // Stores the closed slots (each write one transaction), then acknowledges the entries all of whose slots are kept
    // and trims the stream below the oldest entry still needed.
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        while (_closed.Count > 0)
        {
            await _store.WriteAsync(_closed[0], cancellationToken).ConfigureAwait(false);
            _closed.RemoveAt(0);
        }

        var done = _unacked.Where(e => e.MaxSlot <= (e.Pings ? _pingsClosed : _sumsClosed)).ToList();
        if (done.Count == 0) return;
        await _db.StreamAcknowledgeAsync(Stream, Group, [.. done.Select(e => e.Id)]).ConfigureAwait(false);
        _unacked.RemoveAll(e => e.MaxSlot <= (e.Pings ? _pingsClosed : _sumsClosed));
        var keepFrom = _unacked.Count > 0 ? _unacked[0].Id : done[^1].Id;
        await _db.ExecuteAsync("XTRIM", Stream, "MINID", keepFrom).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pings.Dispose();
        _pseudonymiser.Dispose();
    }
}
