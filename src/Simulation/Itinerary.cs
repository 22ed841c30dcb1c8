namespace CrowdWatch.Simulation;

/// <summary>
/// Where one person is over one day: legs of staying at a point, or moving along a path or a straight line, in time
/// order, in local milliseconds since midnight. Outside its first and last leg the person is not in the area.
/// </summary>
public sealed class Itinerary
{
    private readonly List<Leg> _legs = [];

    /// <summary>When the person enters the area (local ms since midnight).</summary>
    public long Start => _legs.Count > 0 ? _legs[0].T0 : 0;

    /// <summary>When the person leaves the area.</summary>
    public long End => _legs.Count > 0 ? _legs[^1].T1 : 0;

    /// <summary>Whether the person is in the area at all today.</summary>
    public bool Present => _legs.Count > 0;

    /// <summary>Number of legs.</summary>
    public int Count => _legs.Count;

    /// <summary>Adds a stay at a point until <paramref name="until"/>; returns the end time.</summary>
    public long Stay(long from, long until, double lon, double lat)
    {
        if (until > from) _legs.Add(new Leg(from, until, lon, lat, lon, lat, null));
        return Math.Max(from, until);
    }

    /// <summary>
    /// Adds a move from one point to another at <paramref name="speedMps"/>, along <paramref name="path"/> (which runs
    /// from the first point to the second) when given, else in a straight line; returns the arrival time.
    /// </summary>
    public long Move(long from, double lon0, double lat0, double lon1, double lat1, WalkPath? path, double speedMps, LocalFrame frame)
    {
        var metres = path?.LengthM ?? frame.Distance(lon0, lat0, lon1, lat1);
        var ms = (long)(metres / speedMps * 1000);
        if (ms <= 0) return from;
        _legs.Add(new Leg(from, from + ms, lon0, lat0, lon1, lat1, path));
        return from + ms;
    }

    /// <summary>Where the person is at <paramref name="t"/>, and whether they are moving; false outside the itinerary.</summary>
    public bool TryPosition(long t, out double lon, out double lat, out bool moving)
    {
        lon = lat = 0;
        moving = false;
        if (_legs.Count == 0 || t < _legs[0].T0 || t >= _legs[^1].T1) return false;
        var lo = 0;
        var hi = _legs.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_legs[mid].T0 <= t) lo = mid;
            else hi = mid - 1;
        }

        var leg = _legs[lo];
        if (t >= leg.T1)
        {
            // A gap between legs (none are planned): the person waits where the last leg ended.
            (lon, lat) = (leg.Lon1, leg.Lat1);
            return true;
        }

        var f = leg.T1 > leg.T0 ? (double)(t - leg.T0) / (leg.T1 - leg.T0) : 0;
        moving = leg.Lon0 != leg.Lon1 || leg.Lat0 != leg.Lat1;
        if (leg.Path is not null) (lon, lat) = leg.Path.At(f);
        else (lon, lat) = (leg.Lon0 + (f * (leg.Lon1 - leg.Lon0)), leg.Lat0 + (f * (leg.Lat1 - leg.Lat0)));
        return true;
    }

    private readonly record struct Leg(long T0, long T1, double Lon0, double Lat0, double Lon1, double Lat1, WalkPath? Path);
}
