using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// One long-lived binner fed the same synthetic points again and again, each time shifted later by the span of the
/// data, so that to the binner it is one continuous stream (devices keep their state, slots keep closing).
/// </summary>
public sealed class PingStream : IDisposable
{
    private readonly SyntheticPings _pings;
    private readonly long[] _unixMs;
    private readonly long _span;
    private readonly PingBinner _binner;
    private int _stretch = -1;

    public PingStream(Area area, SyntheticPings pings)
    {
        _pings = pings;
        _unixMs = new long[pings.UnixMs.Length];
        _span = pings.UnixMs[^1] - pings.UnixMs[0] + (15 * 60_000);
        _binner = new PingBinner(area.Name, area.Grid, area.NewClock(), null, PingBinnerOptions.Default, _ => SlotsClosed++);
    }

    /// <summary>Slots handed over so far.</summary>
    public int SlotsClosed { get; private set; }

    /// <summary>Shifts the timestamps for the next stretch (outside the timed part).</summary>
    public void NextStretch()
    {
        _stretch++;
        var shift = _stretch * _span;
        for (var i = 0; i < _unixMs.Length; i++) _unixMs[i] = _pings.UnixMs[i] + shift;
    }

    /// <summary>Bins the prepared stretch.</summary>
    public int BinStretch(BinOutcome[] outcomes)
    {
        _binner.AddBatch(_pings.Lon, _pings.Lat, _unixMs, _pings.Device, outcomes);
        return SlotsClosed;
    }

    public void Dispose() => _binner.Dispose();
}
