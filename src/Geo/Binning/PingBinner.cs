using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Time;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Binning;

/// <summary>
/// Bins pseudonymous pings into distinct devices, inflow, outflow and zone-to-zone movements per (cell, slot).
/// A device seen ten times in a cell and slot counts once there; a device crossing two cells in a slot counts in each.
/// Flows follow consecutive sightings of a device (in time order) no more than <see cref="PingBinnerOptions.FlowGap"/>
/// apart: a change of cell is an outflow from the old cell and an inflow to the new one, in the slot of the new
/// sighting. Per-device state is the last sighting only; slots are handed to the sink once the newest ping is more
/// than <see cref="PingBinnerOptions.Lateness"/> past their end, and their working memory is reused.
/// </summary>
/// <remarks>
/// Distinct counting without a per-point hash lookup: each device's state remembers the first
/// <see cref="InlineCells"/> cells it was seen in during its current slot, which settles almost every sighting
/// (people dwell, and walkers rarely return to a cell within a slot) and counts it at once. The rest (a fourth
/// distinct cell in a slot, or a sighting that arrives after the device has moved on to a later slot) is set aside and
/// settled exactly when the slot closes, against the list of pairs already counted. Device states live in native
/// memory on huge pages (<see cref="DeviceStateBlock"/>) and are prefetched a few points ahead so their cache misses
/// overlap. Not thread-safe: one binner per ingest stream. Dispose it to return the device states at once.
/// </remarks>
public sealed class PingBinner : IPingTarget, IDisposable
{
    /// <summary>Cells per device and slot that are deduplicated inline.</summary>
    public const int InlineCells = 3;

    private const int Chunk = 4096;
    private const int PrefetchDistance = 16;

    private readonly string _area;
    private readonly Grid _grid;
    private readonly SlotClock _clock;
    private readonly Action<SlotCounts> _sink;
    private readonly int[] _primaryZone;
    private readonly long _latenessMs;
    private readonly long _gapMs;
    private readonly long _lengthMs;
    private readonly int _cells;
    private readonly Dictionary<long, Accumulator> _open = [];
    private readonly Stack<PairBuffer> _spareBuffers = new();

    // Per-cell stats arrays of closed slots, reused: at 16 bytes a cell they are large-object-heap arrays, and one
    // per slot would keep the collector doing full collections in a long-running stream.
    private readonly Stack<int[]> _spareStats = new();
    private readonly int[] _chunkCells = new int[Chunk];
    private readonly ulong[] _chunkMoves = new ulong[Chunk];

    // Device states (32 bytes each) on 64-byte boundaries, so no state straddles two cache lines.
    private DeviceStateBlock? _stateBlock;
    private unsafe DeviceState* _states;
    private int _stateCount;
    private bool _disposed;
    private long _watermark = long.MinValue;
    private long _closedThrough = long.MinValue;
    private long _nextCloseCheck = long.MinValue;
    private int _typicalPairs = 1 << 16; // grows to the busiest slot seen; a generous start saves early regrowth

    /// <summary>Creates a binner for one area.</summary>
    public PingBinner(string area, Grid grid, SlotClock clock, ZoneLayer? zones, PingBinnerOptions options, Action<SlotCounts> sink)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        _area = area ?? throw new ArgumentNullException(nameof(area));
        _grid = grid;
        _clock = clock;
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _cells = grid.Spec.CellCount;
        _primaryZone = zones is null ? [] : zones.PrimaryZoneByCell.ToArray();
        _latenessMs = (long)options.Lateness.TotalMilliseconds;
        _gapMs = (long)options.FlowGap.TotalMilliseconds;
        _lengthMs = clock.Minutes * 60_000L;
        EnsureDevice(1023);
    }

    /// <summary>Newest ping time seen, Unix ms.</summary>
    public long Watermark => _watermark;

    /// <summary>
    /// Forgets the state of device index <paramref name="device"/>: call when the directory hands out an index
    /// (new device, or an evicted device's index reused).
    /// </summary>
    public void ResetDevice(int device)
    {
        EnsureDevice(device);
        State(device) = default;
    }

    /// <summary>Bins one ping of device index <paramref name="device"/> at <paramref name="unixMs"/>.</summary>
    public BinOutcome Add(double lon, double lat, long unixMs, int device)
    {
        Span<BinOutcome> outcome = stackalloc BinOutcome[1];
        AddBatch(new ReadOnlySpan<double>(in lon), new ReadOnlySpan<double>(in lat), new ReadOnlySpan<long>(in unixMs),
            new ReadOnlySpan<int>(in device), outcome);
        return outcome[0];
    }

    /// <summary>Bins a batch of pings; <paramref name="outcomes"/> receives what became of each.</summary>
    public void AddBatch(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        var n = lon.Length;
        if (lat.Length != n || unixMs.Length != n || device.Length != n || outcomes.Length < n)
            throw new ArgumentException("lon, lat, unixMs and device must have the same length, and outcomes at least that");
        for (var start = 0; start < n; start += Chunk)
        {
            var end = Math.Min(n, start + Chunk);
            BinChunk(lon[start..end], lat[start..end], unixMs[start..end], device[start..end], outcomes[start..end]);
            // Close between chunks, so a large batch holds no more slots open than a stream of small ones.
            if (_watermark >= _nextCloseCheck) CloseExpired();
        }
    }

    /// <summary>
    /// Moves the binner's time on to <paramref name="unixMs"/> without a ping (a live feed gone quiet) and closes the
    /// slots that ended a lateness before it; pings older than that are late from then on.
    /// </summary>
    public void Advance(long unixMs)
    {
        if (unixMs <= _watermark) return;
        _watermark = unixMs;
        CloseExpired();
    }

    /// <summary>Closes every open slot and hands it to the sink (end of input).</summary>
    public void Complete()
    {
        foreach (var start in _open.Keys.Order().ToList()) Close(start);
    }

    /// <summary>
    /// Bins a batch of pings already located (cell ids, -1 outside the grid), as a partition's worker reads them from
    /// the ingest log; <paramref name="outcomes"/> receives what became of each.
    /// </summary>
    public void AddCellBatch(ReadOnlySpan<int> cells, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        var n = cells.Length;
        if (unixMs.Length != n || device.Length != n || outcomes.Length < n)
            throw new ArgumentException("cells, unixMs and device must have the same length, and outcomes at least that");
        for (var start = 0; start < n; start += Chunk)
        {
            var end = Math.Min(n, start + Chunk);
            var located = _chunkCells.AsSpan(0, end - start);
            cells[start..end].CopyTo(located);
            foreach (ref var c in located)
                if ((uint)c >= (uint)_cells) c = -1;
            BinLocated(located, unixMs[start..end], device[start..end], outcomes[start..end]);
            if (_watermark >= _nextCloseCheck) CloseExpired();
        }
    }

    private void BinChunk(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        // Locating is pure arithmetic on the point: a tight loop of its own pipelines far better than interleaved.
        var cells = _chunkCells.AsSpan(0, lon.Length);
        _grid.LocateCells(lon, lat, cells);
        BinLocated(cells, unixMs, device, outcomes);
    }

    private unsafe void BinLocated(ReadOnlySpan<int> cells, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        var max = 0;
        foreach (var d in device)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(device), d, "device indices are non-negative");
            max = Math.Max(max, d);
        }

        EnsureDevice(max);
        // The newest time of the chunk, taken apart from the loop: a late ping is older than the watermark already,
        // so counting it in changes nothing.
        _watermark = Math.Max(_watermark, Newest(unixMs));
        Process(unixMs, device, cells, outcomes, ref State(0));
    }

    private static long Newest(ReadOnlySpan<long> unixMs)
    {
        var newest = long.MinValue;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && unixMs.Length >= Vector256<long>.Count)
        {
            var acc = Vector256.Create(long.MinValue);
            for (; i <= unixMs.Length - Vector256<long>.Count; i += Vector256<long>.Count)
                acc = Vector256.Max(acc, Vector256.Create(unixMs.Slice(i, Vector256<long>.Count)));
            for (var lane = 0; lane < Vector256<long>.Count; lane++) newest = Math.Max(newest, acc[lane]);
        }

        for (; i < unixMs.Length; i++) newest = Math.Max(newest, unixMs[i]);
        return newest;
    }

    // Hands each run of points that fall in one slot to BinRun; between runs it switches slots and settles what the
    // run left in its buffers. Late points (their slot is closed) are marked here.
    private void Process(ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, ReadOnlySpan<int> cells, Span<BinOutcome> outcomes, ref DeviceState states)
    {
        var n = unixMs.Length;
        var moves = _chunkMoves;
        var i = 0;
        while (i < n)
        {
            var acc = SwitchSlot(_clock.SlotStartMs(unixMs[i]));
            if (acc is null)
            {
                outcomes[i++] = BinOutcome.Late;
                continue;
            }

            // Room for every remaining point of the chunk, so the run's appends need no capacity check.
            ref var pairs = ref acc.Counted.Reserve(n - i);
            ref var aside = ref acc.Unsettled.Reserve(n - i);
            var counts = (Counted: acc.Counted.Count, Aside: acc.Unsettled.Count, Moves: 0);
            var next = BinRun(i, n, ref MemoryMarshal.GetReference(unixMs), ref MemoryMarshal.GetReference(device),
                ref MemoryMarshal.GetReference(cells), ref MemoryMarshal.GetReference(outcomes), ref states,
                ref MemoryMarshal.GetArrayDataReference(acc.Stats), ref pairs, ref aside, ref MemoryMarshal.GetArrayDataReference(moves),
                new RunSlot(acc.StartMs, acc.LengthMs, acc.Key, (ulong)Math.Max(0, _gapMs), _primaryZone.Length > 0 ? 1 : 0), ref counts);
            // The clock put point i in this slot, so the run takes at least that point.
            if (next <= i) throw new InvalidOperationException($"slot {acc.StartMs} does not hold the ping at {unixMs[i]}");
            acc.Counted.SetCount(counts.Counted);
            acc.Unsettled.SetCount(counts.Aside);
            for (var k = 0; k < counts.Moves; k++)
                acc.Movement(PairBuffer.DeviceOf(moves[k]) - 2, PairBuffer.CellOf(moves[k]) - 2, _primaryZone);
            i = next;
        }
    }

    // The per-point work on a run of points in one slot, until a point falls outside it. It calls nothing, so that the
    // many values it keeps at hand stay in registers rather than being saved around calls: what would need a call
    // (a pair set aside, a movement between cells) is appended to a buffer the caller settles after the run. Device
    // indices were checked against the state array in BinChunk, so the spans are read without bounds checks. Whether
    // a device moved, started a new slot or entered a new cell is close to a coin toss per point, so those decisions
    // are made with masks rather than branches: a mispredicted branch waiting on a device state that is still on its
    // way from memory costs more than the few extra instructions. Only rare cases (duplicates, points outside the
    // grid) branch. The state is laid out so that a device never seen needs no test of its own: its zero time lies
    // ages before any real one, and its slot key before any real slot.
    private static unsafe int BinRun(int i, int n, ref long msRef, ref int devRef, ref int cellRef, ref BinOutcome outRef, ref DeviceState stBase,
        ref int stats, ref ulong pairs, ref ulong aside, ref ulong moves, RunSlot slot, ref (int Counted, int Aside, int Moves) counts)
    {
        var slotStart = slot.StartMs;
        var slotLength = (ulong)slot.LengthMs;
        var slotKey = slot.Key;
        var gap = slot.GapMs;
        var zoned = slot.Zoned;
        var lastIndex = n - 1;
        var pairCount = counts.Counted;
        var asideCount = counts.Aside;
        var moveCount = counts.Moves;
        var laneBits = Vector128.Create(1, 2, 4, 8);
        for (; i < n; i++)
        {
            // Fetch the state of the device a few points ahead, so its cache miss overlaps this point's work.
            if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref stBase, Unsafe.Add(ref devRef, Math.Min(i + PrefetchDistance, lastIndex)))));

            var ms = Unsafe.Add(ref msRef, i);
            if ((ulong)(ms - slotStart) >= slotLength) break;

            var d = Unsafe.Add(ref devRef, i);
            ref var st = ref Unsafe.Add(ref stBase, d);
            var lastRow = st.LastRow;
            var lastMs = st.LastMs;
            var sinceLast = ms + DeviceState.TimeBias - lastMs;
            if ((ulong)(sinceLast + 999) < 1999)
            {
                Unsafe.Add(ref outRef, i) = BinOutcome.Duplicate;
                continue;
            }

            var cell = Unsafe.Add(ref cellRef, i);
            var row = cell + 2;
            // A later sighting moves the device; an earlier one arrived out of order and only counts.
            var advance = sinceLast > 0;
            var flow = Bit(((ulong)(sinceLast - 1) < gap) & (lastRow != row));
            Unsafe.Add(ref stats, (lastRow * Accumulator.Stride) + Accumulator.OutflowAt) += flow;
            Unsafe.Add(ref stats, (row * Accumulator.Stride) + Accumulator.InflowAt) += flow;
            Unsafe.Add(ref moves, moveCount) = PairBuffer.Pair(lastRow, row);
            moveCount += flow & zoned;
            st.LastRow = Select(advance, row, lastRow);
            st.LastMs = Select(advance, ms + DeviceState.TimeBias, lastMs);

            if (cell < 0)
            {
                Unsafe.Add(ref outRef, i) = BinOutcome.OutsideGrid;
                continue;
            }

            // Lane 0 holds the slot key, lanes 1 to 3 the inline cells (+ 1; 0 empty), filled in order.
            var inline = st.Inline;
            var stKey = inline.ToScalar();
            var probe = Vector128.Create(cell + 1);
            var known = Vector128.Equals(inline, probe).ExtractMostSignificantBits() & 0b1110;
            var empty = Vector128.Equals(inline, Vector128<int>.Zero).ExtractMostSignificantBits() & 0b1110;
            var newer = slotKey > stKey;
            var fresh = (slotKey == stKey) & (known == 0);
            // A fourth cell in the slot, or the device was already seen in a later slot (its inline cells for this
            // one are gone): decided when the slot closes.
            var pair = PairBuffer.Pair(d, cell);
            Unsafe.Add(ref aside, asideCount) = pair;
            asideCount += Bit((fresh & (empty == 0)) | (slotKey < stKey));

            // The first empty lane takes the cell when it is new to the slot; a newer slot starts the lanes afresh.
            var insert = (int)(empty & (0u - empty)) & -Bit(fresh);
            var added = Vector128.ConditionalSelect(Vector128.Equals(Vector128.Create(insert) & laneBits, laneBits), probe, inline);
            var restarted = Vector128.Create(slotKey, cell + 1, 0, 0);
            st.Inline = Vector128.ConditionalSelect(Vector128.Create(-Bit(newer)), restarted, added);
            var counted = Bit(newer | (insert != 0));
            Unsafe.Add(ref stats, (row * Accumulator.Stride) + Accumulator.DevicesAt) += counted;
            Unsafe.Add(ref pairs, pairCount) = pair;
            pairCount += counted;
            Unsafe.Add(ref outRef, i) = BinOutcome.Counted;
        }

        counts = (pairCount, asideCount, moveCount);
        return i;
    }

    // Slots ordered by a 32-bit key: minutes since 1970 (slots are at least 5 minutes apart, so no two share one),
    // offset so that the zero of a device never seen comes before every real slot.
    private static int SlotKey(long slotStartMs)
    {
        var minutes = Math.DivRem(slotStartMs, 60_000L, out var rest) - (rest < 0 ? 1 : 0);
        var key = minutes + DeviceState.SlotKeyBias;
        if (key is <= 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(slotStartMs), slotStartMs, "pings must fall between the years 1 and 4000");
        return (int)key;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bit(bool value) => Unsafe.As<bool, byte>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Select(bool condition, int whenTrue, int whenFalse)
    {
        var mask = -Bit(condition);
        return (whenTrue & mask) | (whenFalse & ~mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Select(bool condition, long whenTrue, long whenFalse)
    {
        var mask = -(long)Bit(condition);
        return (whenTrue & mask) | (whenFalse & ~mask);
    }

    // The accumulator of the slot starting at slotStartMs, opened if need be; null when that slot is closed.
    private Accumulator? SwitchSlot(long slotStartMs)
    {
        if (slotStartMs + _lengthMs <= _closedThrough) return null;
        if (!_open.TryGetValue(slotStartMs, out var acc))
        {
            // A slot cut short by an offset change ends where the next one begins.
            var end = _clock.SlotStartingAt(slotStartMs).End.ToUnixTimeMilliseconds();
            acc = new Accumulator(new SlotCounts(_area, slotStartMs, _cells) { Devices = new int[_cells] }, RentStats(), RentBuffer(), new PairBuffer(0))
            {
                LengthMs = end - slotStartMs,
                Key = SlotKey(slotStartMs),
            };
            _open.Add(slotStartMs, acc);
        }

        return acc;
    }

    private int[] RentStats()
    {
        if (_spareStats.Count == 0) return new int[(_cells + 2) * Accumulator.Stride];
        var stats = _spareStats.Pop();
        Array.Clear(stats);
        return stats;
    }

    private PairBuffer RentBuffer() => _spareBuffers.Count > 0 ? _spareBuffers.Pop() : new PairBuffer(_typicalPairs);

    private void CloseExpired()
    {
        var limit = _watermark - _latenessMs;
        _nextCloseCheck = _watermark + (_lengthMs / 4);
        List<long>? due = null;
        foreach (var start in _open.Keys)
            if (start + _lengthMs <= limit) (due ??= []).Add(start);
        _closedThrough = Math.Max(_closedThrough, limit);
        if (due is null) return;
        due.Sort();
        foreach (var start in due) Close(start);
    }

    private void Close(long start)
    {
        var acc = _open[start];
        _open.Remove(start);
        acc.Finish();
        _typicalPairs = Math.Max(_typicalPairs, acc.Counted.Count);
        acc.Counted.Clear();
        _spareBuffers.Push(acc.Counted);
        _spareStats.Push(acc.Stats);
        acc.Unsettled.Release();
        _sink(acc.Counts);
    }

    /// <summary>Returns the device states' memory.</summary>
    public unsafe void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var acc in _open.Values)
        {
            acc.Counted.Release();
            acc.Unsettled.Release();
        }

        _open.Clear();
        while (_spareBuffers.Count > 0) _spareBuffers.Pop().Release();
        if (_stateBlock is not null) DeviceStateBlock.Return(_stateBlock);
        _stateBlock = null;
        _states = null;
        _stateCount = 0;
    }

    private unsafe ref DeviceState State(int device) => ref _states[device];

    private unsafe void EnsureDevice(int device)
    {
        if (device < _stateCount) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Fourfold growth: fewer large reallocations.
        var count = (int)Math.Min(int.MaxValue / 64, Math.Max((long)device + 1, Math.Max(1024, _stateCount * 4L)));
        if (device >= count) throw new ArgumentOutOfRangeException(nameof(device), device, $"at most {count} devices per binner");
        // A new block is zeroed, and a zeroed state is an unseen device: only the old states need copying.
        var block = DeviceStateBlock.Rent((nuint)count * (nuint)sizeof(DeviceState));
        var states = (DeviceState*)block.Pointer;
        if (_stateBlock is not null)
        {
            new ReadOnlySpan<DeviceState>(_states, _stateCount).CopyTo(new Span<DeviceState>(states, _stateCount));
            DeviceStateBlock.Return(_stateBlock);
        }

        _stateBlock = block;
        _states = states;
        _stateCount = count;
    }

    // What a run needs to know of its slot.
    private readonly record struct RunSlot(long StartMs, long LengthMs, int Key, ulong GapMs, int Zoned);

    // All zero is a device never seen, so fresh state arrays need no initialising.
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct DeviceState
    {
        /// <summary>Added to sighting times: a zero time (never seen) is then ages before any real sighting.</summary>
        public const long TimeBias = 1L << 62;

        /// <summary>Added to slot keys (minutes since 1970): a zero key (never seen) is before any real slot.</summary>
        public const long SlotKeyBias = 1L << 30;

        [FieldOffset(0)] public long LastMs;            // last sighting + TimeBias
        [FieldOffset(8)] public int LastRow;            // stats row of the last sighting: 0 never seen, 1 outside, cell + 2
        [FieldOffset(16)] public Vector128<int> Inline; // slot key, then the slot's inline cells + 1 (0: empty)
    }

    private sealed class Accumulator(SlotCounts counts, int[] stats, PairBuffer counted, PairBuffer unsettled)
    {
        /// <summary>The slot's counts.</summary>
        public SlotCounts Counts { get; } = counts;

        /// <summary>UTC start of the slot, Unix ms.</summary>
        public long StartMs => Counts.SlotStartMs;

        /// <summary>Length of the slot in ms (shorter than usual where an offset change cuts it).</summary>
        public required long LengthMs { get; init; }

        /// <summary>The slot's key in device states (<see cref="SlotKey"/>).</summary>
        public required int Key { get; init; }

        /// <summary>Ints per cell in <see cref="Stats"/>: distinct devices, inflow, outflow (and one spare for alignment).</summary>
        public const int Stride = 4;

        /// <summary>Offset of the distinct-device count in a cell's stats.</summary>
        public const int DevicesAt = 0;

        /// <summary>Offset of the inflow in a cell's stats.</summary>
        public const int InflowAt = 1;

        /// <summary>Offset of the outflow in a cell's stats.</summary>
        public const int OutflowAt = 2;

        /// <summary>
        /// Per-cell counts side by side, one base pointer for the loop instead of three, offset by two rows: the first
        /// takes the (zero) flows of devices never seen before, the second flows from and to "outside the grid"; both
        /// are dropped, and no test is needed for either case.
        /// </summary>
        public int[] Stats { get; } = stats;

        /// <summary>Pairs counted inline.</summary>
        public PairBuffer Counted { get; } = counted;

        /// <summary>Pairs whose novelty could not be decided inline.</summary>
        public PairBuffer Unsettled { get; } = unsettled;

        /// <summary>Counts the unsettled pairs that are new and publishes the flows: the slot is complete.</summary>
        public void Finish()
        {
            var devices = Counts.Devices!;
            for (var cell = 0; cell < devices.Length; cell++) devices[cell] = Stats[((cell + 2) * Stride) + DevicesAt];
            Settle(devices);
            Counts.Inflow = Publish(InflowAt);
            Counts.Outflow = Publish(OutflowAt);
        }

        /// <summary>Counts a move of a device from one cell to another (-1: outside the grid) between their zones.</summary>
        public void Movement(int fromCell, int toCell, int[] primaryZone)
        {
            var from = fromCell >= 0 ? primaryZone[fromCell] : -1;
            var to = toCell >= 0 ? primaryZone[toCell] : -1;
            if (from == to) return;
            var movements = Counts.Movements ??= [];
            movements[(from, to)] = movements.GetValueOrDefault((from, to)) + 1;
        }

        // Null when the slot saw no flows at all, as for any absent channel.
        private int[]? Publish(int at)
        {
            var cells = new int[Counts.CellCount];
            var any = false;
            for (var cell = 0; cell < cells.Length; cell++)
            {
                cells[cell] = Stats[((cell + 2) * Stride) + at];
                any |= cells[cell] != 0;
            }

            return any ? cells : null;
        }

        /// <summary>Counts the unsettled pairs that are new: not counted inline and not repeated among themselves.</summary>
        private void Settle(int[] devices)
        {
            if (Unsettled.Count == 0) return;
            var fresh = new HashSet<ulong>(Unsettled.Count);
            var maxDevice = 0;
            foreach (var p in Unsettled.Pairs)
            {
                fresh.Add(p);
                maxDevice = Math.Max(maxDevice, PairBuffer.DeviceOf(p));
            }

            // Only pairs of devices with unsettled sightings can settle them: a bitmap of those devices skips the
            // rest of the slot's counted pairs without a hash lookup each.
            var involved = new ulong[(maxDevice >> 6) + 1];
            foreach (var p in Unsettled.Pairs) involved[PairBuffer.DeviceOf(p) >> 6] |= 1UL << PairBuffer.DeviceOf(p);
            foreach (var p in Counted.Pairs)
            {
                var d = PairBuffer.DeviceOf(p);
                if (d <= maxDevice && (involved[d >> 6] & (1UL << d)) != 0 && fresh.Remove(p) && fresh.Count == 0) break;
            }

            foreach (var p in fresh) devices[PairBuffer.CellOf(p)]++;
        }
    }
}
