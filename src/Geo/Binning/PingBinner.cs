using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// settled exactly when the slot closes, against the list of pairs already counted. Device states are prefetched a few points ahead
/// so their cache misses overlap. Not thread-safe: one binner per ingest stream.
/// </remarks>
public sealed class PingBinner
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
    private readonly int[] _chunkCells = new int[Chunk];

    // Device states (32 bytes each) live in a long[] at an offset that puts them on 64-byte boundaries, so no state
    // straddles two cache lines; .NET aligns array data only to 8 bytes. Large arrays are not moved by the GC, and
    // if one were, only the alignment would be lost.
    private static readonly int StateWords = Unsafe.SizeOf<DeviceState>() / sizeof(long);
    private long[] _stateWords = [];
    private int _stateBase;
    private int _stateCount;
    private Accumulator? _current;
    private long _currentSlot = long.MinValue;
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

    /// <summary>Closes every open slot and hands it to the sink (end of input).</summary>
    public void Complete()
    {
        foreach (var start in _open.Keys.Order().ToList()) Close(start);
        _current = null;
        _currentSlot = long.MinValue;
    }

    private unsafe void BinChunk(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        var max = 0;
        foreach (var d in device)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(device), d, "device indices are non-negative");
            max = Math.Max(max, d);
        }

        EnsureDevice(max);
        ref var states = ref State(0);
        var prefetch = Sse.IsSupported;
        // Locating is pure arithmetic on the point: a tight loop of its own pipelines far better than interleaved.
        var cells = _chunkCells.AsSpan(0, lon.Length);
        var grid = _grid;
        grid.LocateCells(lon, lat, cells);
        Process(unixMs, device, cells, outcomes, ref states, prefetch);
    }

    // The per-point work, apart from the chunk's set-up so that fewer values compete for registers; device indices
    // were checked against the state array in BinChunk, so the spans are read without bounds checks.
    private unsafe void Process(ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, ReadOnlySpan<int> cells, Span<BinOutcome> outcomes, ref DeviceState states, bool prefetch)
    {
        var n = unixMs.Length;
        ref var msRef = ref MemoryMarshal.GetReference(unixMs);
        ref var devRef = ref MemoryMarshal.GetReference(device);
        ref var cellRef = ref MemoryMarshal.GetReference(cells);
        ref var outRef = ref MemoryMarshal.GetReference(outcomes);
        ref var stBase = ref states;
        var clock = _clock;
        var gap = _gapMs;
        var watermark = _watermark;
        var currentSlot = _currentSlot;
        var acc = _current;
        for (var i = 0; i < n; i++)
        {
            // Fetch the state of the device a few points ahead, so its cache miss overlaps this point's work.
            if (prefetch && i + PrefetchDistance < n) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref stBase, Unsafe.Add(ref devRef, i + PrefetchDistance))));

            var ms = Unsafe.Add(ref msRef, i);
            var slot = clock.SlotStartMs(ms);
            if (slot != currentSlot)
            {
                if (!SwitchSlot(slot))
                {
                    Unsafe.Add(ref outRef, i) = BinOutcome.Late;
                    continue;
                }

                currentSlot = slot;
                acc = _current;
            }

            if (ms > watermark) watermark = ms;
            var d = Unsafe.Add(ref devRef, i);
            ref var st = ref Unsafe.Add(ref stBase, d);
            var seen = st.LastCellPlus2 != 0;
            var sinceLast = ms - st.LastMs;
            if (seen && (ulong)(sinceLast + 999) < 1999)
            {
                Unsafe.Add(ref outRef, i) = BinOutcome.Duplicate;
                continue;
            }

            var cell = Unsafe.Add(ref cellRef, i);
            if (sinceLast > 0 || !seen)
            {
                var prevCell = st.LastCellPlus2 - 2;
                if (seen & (prevCell != cell) & (sinceLast <= gap)) acc!.Flow(prevCell, cell, _primaryZone);
                st.LastCellPlus2 = cell + 2;
                st.LastMs = ms;
            }

            if (cell >= 0)
            {
                var cellPlus1 = cell + 1;
                if (slot == st.Slot)
                {
                    // Non-short-circuit operators: one data-dependent branch instead of a chain of three.
                    if (!((cellPlus1 == st.Cell0Plus1) | (cellPlus1 == st.Cell1Plus1) | (cellPlus1 == st.Cell2Plus1)))
                    {
                        if (st.Cell1Plus1 == 0) { st.Cell1Plus1 = cellPlus1; acc!.Count(d, cell); }
                        else if (st.Cell2Plus1 == 0) { st.Cell2Plus1 = cellPlus1; acc!.Count(d, cell); }
                        else acc!.Unsettled.Add(PairBuffer.Pair(d, cell));
                    }
                }
                else if (slot > st.Slot)
                {
                    st.Slot = slot;
                    st.Cell0Plus1 = cellPlus1;
                    st.Cell1Plus1 = st.Cell2Plus1 = 0;
                    acc!.Count(d, cell);
                }
                else
                {
                    // The device has already been seen in a later slot: this slot's inline cells are gone.
                    acc!.Unsettled.Add(PairBuffer.Pair(d, cell));
                }

                Unsafe.Add(ref outRef, i) = BinOutcome.Counted;
            }
            else
            {
                Unsafe.Add(ref outRef, i) = BinOutcome.OutsideGrid;
            }
        }

        _watermark = watermark;
    }

    private bool SwitchSlot(long slot)
    {
        if (slot + _lengthMs <= _closedThrough) return false;
        if (!_open.TryGetValue(slot, out var acc))
        {
            acc = new Accumulator(new SlotCounts(_area, slot, _cells) { Devices = new int[_cells] }, RentBuffer(), new PairBuffer(0));
            _open.Add(slot, acc);
        }

        _current = acc;
        _currentSlot = slot;
        return true;
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
        if (ReferenceEquals(acc, _current)) { _current = null; _currentSlot = long.MinValue; }
        acc.Settle();
        _typicalPairs = Math.Max(_typicalPairs, acc.Counted.Count);
        acc.Counted.Clear();
        _spareBuffers.Push(acc.Counted);
        _sink(acc.Counts);
    }

    private ref DeviceState State(int device) => ref Unsafe.As<long, DeviceState>(ref _stateWords[_stateBase + (StateWords * device)]);

    private unsafe void EnsureDevice(int device)
    {
        if (device < _stateCount) return;
        // Fourfold growth: fewer large reallocations.
        var count = (int)Math.Min((Array.MaxLength / StateWords) - 8, Math.Max((long)device + 1, Math.Max(1024, _stateCount * 4L)));
        // A new array is zeroed, and a zeroed state is an unseen device: only the old states need copying.
        var words = new long[(StateWords * count) + 8];
        int baseIndex;
        fixed (long* p = words) baseIndex = (int)((64 - ((ulong)p & 63)) & 63) / 8;
        _stateWords.AsSpan(_stateBase, StateWords * _stateCount).CopyTo(words.AsSpan(baseIndex));
        (_stateWords, _stateBase, _stateCount) = (words, baseIndex, count);
    }

    // All zero is a device never seen, so fresh state arrays need no initialising.
    private struct DeviceState
    {
        public long LastMs;
        public long Slot;          // the slot the inline cells belong to; 0: none
        public int LastCellPlus2;  // 0: never seen; 1: last seen outside the grid; else last cell + 2
        public int Cell0Plus1;     // inline cells of the slot, + 1; 0: empty
        public int Cell1Plus1;
        public int Cell2Plus1;
    }

    private sealed class Accumulator(SlotCounts counts, PairBuffer counted, PairBuffer unsettled)
    {
        private readonly int[] _devices = counts.Devices!;

        public SlotCounts Counts { get; } = counts;

        /// <summary>Pairs counted inline.</summary>
        public PairBuffer Counted { get; } = counted;

        /// <summary>Pairs whose novelty could not be decided inline.</summary>
        public PairBuffer Unsettled { get; } = unsettled;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Count(int device, int cell)
        {
            _devices[cell]++;
            Counted.Add(PairBuffer.Pair(device, cell));
        }

        /// <summary>Counts the unsettled pairs that are new: not counted inline and not repeated among themselves.</summary>
        public void Settle()
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

            foreach (var p in fresh) _devices[PairBuffer.CellOf(p)]++;
        }

        public void Flow(int fromCell, int toCell, int[] primaryZone)
        {
            if (fromCell >= 0) (Counts.Outflow ??= new int[Counts.CellCount])[fromCell]++;
            if (toCell >= 0) (Counts.Inflow ??= new int[Counts.CellCount])[toCell]++;
            if (primaryZone.Length == 0) return;
            var from = fromCell >= 0 ? primaryZone[fromCell] : -1;
            var to = toCell >= 0 ? primaryZone[toCell] : -1;
            if (from == to) return;
            var movements = Counts.Movements ??= [];
            movements[(from, to)] = movements.GetValueOrDefault((from, to)) + 1;
        }
    }
}
