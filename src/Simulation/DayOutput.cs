using System.Globalization;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Simulation;

/// <summary>Collects one simulated day's pings and searches, then puts them in time order.</summary>
internal sealed class DayOutput(SimulatedDay day, int seed)
{
    private readonly List<long> _pingKey = [];
    private readonly List<int> _pingDevice = [];
    private readonly List<int> _pingLat7 = [];
    private readonly List<int> _pingLon7 = [];
    private readonly List<byte> _pingAccuracy = [];
    private readonly Dictionary<long, int> _deviceIndex = [];
    private readonly List<string> _deviceIds = [];
    private readonly List<long> _searchKey = [];
    private readonly List<string> _searchQuery = [];
    private readonly List<string> _searchPoi = [];
    private readonly List<bool> _searchVisit = [];

    public SimulatedDay Day { get; } = day;

    /// <summary>Searches that lead to a visit so far.</summary>
    public int LeadSearches { get; private set; }

    /// <summary>The device index of a person, allocating its raw id (12 hex digits) on first use.</summary>
    public int Device(long person)
    {
        if (_deviceIndex.TryGetValue(person, out var index)) return index;
        index = _deviceIds.Count;
        _deviceIds.Add((SimRandom.Mix((ulong)person ^ SimRandom.Mix((ulong)(uint)seed)) & 0xFFFF_FFFF_FFFFUL).ToString("x12", CultureInfo.InvariantCulture));
        _deviceIndex.Add(person, index);
        return index;
    }

    /// <summary>A ping at local time <paramref name="localMs"/> from a device at (lon, lat), with GPS noise added.</summary>
    public void Ping(long localMs, int device, double lon, double lat, LocalFrame frame, ref SimRandom r)
    {
        var sigma = r.Uniform(10, 30);
        lon += r.Gaussian() * sigma / frame.MetresPerDegreeLon;
        lat += r.Gaussian() * sigma / frame.MetresPerDegreeLat;
        // The sort key is time, then arrival order: unique, so the order is the same on every run.
        _pingKey.Add((localMs << 28) | (uint)_pingKey.Count);
        _pingDevice.Add(device);
        _pingLat7.Add((int)Math.Round(lat * 1e7));
        _pingLon7.Add((int)Math.Round(lon * 1e7));
        _pingAccuracy.Add((byte)Math.Round(sigma));
    }

    /// <summary>A map search at local time <paramref name="localMs"/> for <paramref name="poi"/>.</summary>
    public void Search(long localMs, Poi poi, ref SimRandom r, bool leadsToVisit)
    {
        // Most people type the Chinese name, some an alias or the English name; some records carry the POI id.
        var u = r.NextDouble();
        var query = u < 0.7 || (u < 0.9 && poi.Aliases.Count == 0) ? poi.NameZh : u < 0.9 ? poi.Aliases[r.Next(poi.Aliases.Count)] : poi.NameEn;
        if (query.Length == 0) query = poi.NameEn.Length > 0 ? poi.NameEn : poi.Id;
        _searchKey.Add((localMs << 24) | (uint)_searchKey.Count);
        _searchQuery.Add(query);
        _searchPoi.Add(r.Chance(0.7) ? poi.Id : "");
        _searchVisit.Add(leadsToVisit);
        if (leadsToVisit) LeadSearches++;
    }

    /// <summary>Sorts everything into time order and hands it to the day.</summary>
    public void Finish(int[][] arrivals)
    {
        var order = Order(_pingKey);
        var n = order.Length;
        var ms = new long[n];
        var dev = new int[n];
        var lat = new int[n];
        var lon = new int[n];
        var acc = new byte[n];
        for (var i = 0; i < n; i++)
        {
            var k = order[i];
            ms[i] = Day.DayStartUtcMs + (_pingKey[k] >> 28);
            dev[i] = _pingDevice[k];
            lat[i] = _pingLat7[k];
            lon[i] = _pingLon7[k];
            acc[i] = _pingAccuracy[k];
        }

        (Day.PingMs, Day.PingDevice, Day.PingLat7, Day.PingLon7, Day.PingAccuracy) = (ms, dev, lat, lon, acc);
        Day.DeviceIds = [.. _deviceIds];

        var sorder = Order(_searchKey);
        Day.SearchMs = [.. sorder.Select(k => Day.DayStartUtcMs + (_searchKey[k] >> 24))];
        Day.SearchQuery = [.. sorder.Select(k => _searchQuery[k])];
        Day.SearchPoi = [.. sorder.Select(k => _searchPoi[k])];
        Day.SearchLeadsToVisit = [.. sorder.Select(k => _searchVisit[k])];
        Day.Arrivals = arrivals;
    }

    private static int[] Order(List<long> keys)
    {
        var k = keys.ToArray();
        var order = new int[k.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(k, order);
        return order;
    }
}
