using System.Runtime.CompilerServices;
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
/// than <see cref="PingBinnerOptions.Lateness"/> past their end, and their device sets are dropped.
/// Not thread-safe: one binner per ingest stream.
/// </summary>
public sealed class PingBinner
{
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

    private int[] _lastCell = new int[1024];
    private long[] _lastMs = new long[1024];
    private long[] _lastSlot = new long[1024];
    private Accumulator? _current;
    private long _currentSlot = long.MinValue;
    private long _watermark = long.MinValue;
    private long _closedThrough = long.MinValue;
    private long _nextCloseCheck = long.MinValue;

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
        Array.Fill(_lastCell, -2);
    }

    /// <summary>Newest ping time seen, Unix ms.</summary>
    public long Watermark => _watermark;

    /// <summary>Number of slots still open.</summary>
    public int OpenSlots => _open.Count;

    /// <summary>
    /// Forgets the state of device index <paramref name="device"/>: call when the directory hands out an index
    /// (new device, or an evicted device's index reused).
    /// </summary>
    public void ResetDevice(int device)
    {
        EnsureDevice(device);
        _lastCell[device] = -2;
        _lastMs[device] = long.MinValue;
        _lastSlot[device] = long.MinValue;
    }

    /// <summary>Bins one ping of device index <paramref name="device"/> at <paramref name="unixMs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BinOutcome Add(double lon, double lat, long unixMs, int device)
    {
        if ((uint)device >= (uint)_lastCell.Length) EnsureDevice(device);
        var slot = _clock.SlotStartMs(unixMs);
        if (slot != _currentSlot && !SwitchSlot(slot, unixMs)) return BinOutcome.Late;
        var acc = _current!;

        var prevMs = _lastMs[device];
        if (unixMs / 1000 == prevMs / 1000 && prevMs != long.MinValue) return BinOutcome.Duplicate;

        var cell = _grid.TryLocateCell(lon, lat);
        if (unixMs > prevMs)
        {
            var prevCell = _lastCell[device];
            if (prevCell != cell && prevCell != -2 && unixMs - prevMs <= _gapMs) acc.Flow(prevCell, cell, _primaryZone);
            if (cell >= 0 && (_lastSlot[device] != slot || prevCell != cell)) acc.See(device, cell);
            _lastCell[device] = cell;
            _lastMs[device] = unixMs;
            _lastSlot[device] = slot;
        }
        else if (cell >= 0)
        {
            // An older sighting arriving late: counted for presence, but flows follow time order only.
            acc.See(device, cell);
        }

        return cell >= 0 ? BinOutcome.Counted : BinOutcome.OutsideGrid;
    }

    /// <summary>Closes every open slot and hands it to the sink (end of input).</summary>
    public void Complete()
    {
        foreach (var start in _open.Keys.Order().ToList()) Close(start);
        _current = null;
        _currentSlot = long.MinValue;
    }

    private bool SwitchSlot(long slot, long unixMs)
    {
        if (slot + _lengthMs <= _closedThrough) return false;
        if (unixMs > _watermark)
        {
            _watermark = unixMs;
            if (unixMs >= _nextCloseCheck) CloseExpired();
        }

        if (!_open.TryGetValue(slot, out var acc))
        {
            acc = new Accumulator(new SlotCounts(_area, slot, _cells) { Devices = new int[_cells] });
            _open.Add(slot, acc);
        }

        _current = acc;
        _currentSlot = slot;
        return true;
    }

    private void CloseExpired()
    {
        var limit = _watermark - _latenessMs;
        _nextCloseCheck = _watermark + (_lengthMs / 4);
        List<long>? due = null;
        foreach (var start in _open.Keys)
            if (start + _lengthMs <= limit) (due ??= []).Add(start);
        if (due is null) return;
        due.Sort();
        foreach (var start in due) Close(start);
        _closedThrough = Math.Max(_closedThrough, limit);
    }

    private void Close(long start)
    {
        var acc = _open[start];
        _open.Remove(start);
        if (ReferenceEquals(acc, _current)) { _current = null; _currentSlot = long.MinValue; }
        _sink(acc.Counts);
    }

    private void EnsureDevice(int device)
    {
        if (device < _lastCell.Length) return;
        var size = (int)Math.Min(int.MaxValue, Math.Max((long)device + 1, _lastCell.Length * 2L));
        var old = _lastCell.Length;
        Array.Resize(ref _lastCell, size);
        Array.Resize(ref _lastMs, size);
        Array.Resize(ref _lastSlot, size);
        _lastCell.AsSpan(old).Fill(-2);
        _lastMs.AsSpan(old).Fill(long.MinValue);
        _lastSlot.AsSpan(old).Fill(long.MinValue);
    }

    private sealed class Accumulator(SlotCounts counts)
    {
        private readonly LongSet _seen = new();

        public SlotCounts Counts { get; } = counts;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void See(int device, int cell)
        {
            if (_seen.Add(((ulong)(uint)device << 32) | (uint)cell)) Counts.Devices![cell]++;
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
