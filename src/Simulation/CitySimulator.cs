using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Ingest;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace CrowdWatch.Simulation;

/// <summary>
/// Simulates people in an area, a local day at a time: residents at home, out to work and out in the evening;
/// commuters on working days; visitors going to one to three places, more of them on weekends and holidays, and
/// crowds drawn by events. Each person follows an itinerary (stays, walks along the street network between places);
/// a share of them carry a device the feed sees, which pings every 1 to 15 minutes with 10 to 30 m of GPS noise, some
/// through two sources. Visitors search for their destination one to three hours before they arrive, and others search
/// without ever coming. Deterministic: every random draw comes from a stream keyed by (seed, day, person, purpose).
/// </summary>
/// <remarks>
/// Times within a day are local milliseconds since midnight and map to UTC at the day's offset at midnight, which
/// is exact in zones without daylight saving (the sample city's) and off by the shift after a change elsewhere.
/// </remarks>
public sealed class CitySimulator
{
    private const double WalkMps = 1.2;
    private const double RideMps = 6.0;
    private const int CandidatePoints = 400;
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;

    // Arrival weights per local hour, by kind of place, on working days and on days off.
    private static readonly double[] ScenicWork = [0, 0, 0, 0, 0, 0, 0.2, 0.4, 0.8, 1.5, 2.2, 2.5, 2.2, 2.0, 2.0, 2.0, 2.2, 2.8, 3.8, 4.5, 4.0, 2.8, 1.5, 0.6];
    private static readonly double[] ScenicOff = [0.1, 0, 0, 0, 0, 0, 0.1, 0.3, 0.8, 1.6, 2.6, 3.0, 2.8, 2.6, 2.6, 2.6, 2.8, 3.4, 4.8, 5.5, 4.8, 3.2, 1.8, 0.8];
    private static readonly double[] ShoppingWork = [0, 0, 0, 0, 0, 0, 0, 0.1, 0.3, 0.8, 1.5, 2.2, 2.6, 2.2, 2.0, 2.0, 2.2, 2.8, 3.5, 3.6, 2.8, 1.6, 0.6, 0.1];
    private static readonly double[] ShoppingOff = [0.05, 0, 0, 0, 0, 0, 0, 0.1, 0.3, 0.9, 2.0, 2.8, 3.2, 3.2, 3.2, 3.2, 3.2, 3.4, 3.8, 3.8, 3.0, 1.8, 0.8, 0.2];
    private static readonly double[] TransitWork = [0, 0, 0, 0, 0, 0.2, 1.0, 3.5, 4.0, 2.0, 1.2, 1.2, 1.4, 1.2, 1.2, 1.4, 2.0, 3.8, 4.0, 2.2, 1.5, 1.2, 0.8, 0.3];
    private static readonly double[] TransitOff = [0, 0, 0, 0, 0, 0.1, 0.3, 0.8, 1.5, 2.0, 2.5, 2.6, 2.5, 2.4, 2.4, 2.5, 2.6, 2.8, 2.8, 2.4, 2.0, 1.5, 1.0, 0.4];

    private readonly Area _area;
    private readonly IReadOnlyList<SimPlace> _places;
    private readonly RouteNetwork _routes;
    private readonly HolidayCalendar _calendar;
    private readonly SimulationOptions _options;
    private readonly LocalFrame _frame;
    private readonly (double Lon, double Lat)[][] _placePoints;
    private readonly (double Lon, double Lat)[] _placeCentres;
    private readonly int[] _placeNode;
    private readonly (double Lon, double Lat)[] _homes;
    private readonly double[] _homeWeights;
    private readonly (double Lon, double Lat)[] _workplaces;
    private readonly Poi?[] _placePoi;
    private readonly int _residents;
    private readonly int _commuters;

    /// <summary>Prepares the simulation of an area.</summary>
    /// <param name="area">The area (grid, clock, zones).</param>
    /// <param name="places">The places people go to.</param>
    /// <param name="routes">The street network people walk along.</param>
    /// <param name="water">Water surfaces: nobody lives there.</param>
    /// <param name="calendar">Holidays and events.</param>
    /// <param name="gazetteer">POIs named in searches, matched to places by id.</param>
    /// <param name="options">Population, panel and noise.</param>
    public CitySimulator(Area area, IReadOnlyList<SimPlace> places, RouteNetwork routes, IReadOnlyList<Geometry> water,
        HolidayCalendar calendar, PoiGazetteer gazetteer, SimulationOptions options)
    {
        _area = area ?? throw new ArgumentNullException(nameof(area));
        _places = places ?? throw new ArgumentNullException(nameof(places));
        _routes = routes ?? throw new ArgumentNullException(nameof(routes));
        _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(water);
        ArgumentNullException.ThrowIfNull(gazetteer);
        if (places.Count == 0) throw new ArgumentException("at least one place is needed", nameof(places));
        var b = area.Grid.Bounds;
        _frame = LocalFrame.At((b.MinLat + b.MaxLat) / 2);
        _residents = (int)(options.People * 0.4);
        _commuters = (int)(options.People * 0.2);

        var setup = new SimRandom(SimRandom.Mix((ulong)(uint)options.Seed) ^ 0x5EED);
        _placePoints = new (double, double)[places.Count][];
        _placeCentres = new (double, double)[places.Count];
        _placeNode = new int[places.Count];
        _placePoi = new Poi?[places.Count];
        for (var p = 0; p < places.Count; p++)
        {
            var outline = places[p].Outline;
            var prepared = PreparedGeometryFactory.Prepare(outline);
            var env = outline.EnvelopeInternal;
            var points = new List<(double, double)>(CandidatePoints);
            for (var tries = 0; points.Count < CandidatePoints && tries < CandidatePoints * 50; tries++)
            {
                var lon = setup.Uniform(env.MinX, env.MaxX);
                var lat = setup.Uniform(env.MinY, env.MaxY);
                if (prepared.Contains(new Point(lon, lat))) points.Add((lon, lat));
            }

            if (points.Count == 0) points.Add((outline.Centroid.X, outline.Centroid.Y));
            _placePoints[p] = [.. points];
            _placeCentres[p] = (outline.Centroid.X, outline.Centroid.Y);
            _placeNode[p] = routes.Nearest(outline.Centroid.X, outline.Centroid.Y, out var d) is var n && d < 800 ? n : -1;
            _placePoi[p] = gazetteer.Find(places[p].Name);
        }

        // Homes: cell centres on land, denser near the places (the old centres the places stand in).
        var wet = water.Count == 0 ? null : PreparedGeometryFactory.Prepare(new GeometryFactory().BuildGeometry(water).Union());
        var homes = new List<(double, double)>();
        var weights = new List<double>();
        var grid = area.Grid;
        for (var id = 0; id < grid.Spec.CellCount; id++)
        {
            var (lon, lat) = grid.CellCentre(grid.CellAt(id));
            if (wet is not null && wet.Contains(new Point(lon, lat))) continue;
            var w = 0.3;
            foreach (var c in _placeCentres) w += Math.Exp(-_frame.Distance(lon, lat, c.Lon, c.Lat) / 1500);
            homes.Add((lon, lat));
            weights.Add(w);
        }

        _homes = [.. homes];
        _homeWeights = CumulativeOf(weights);

        // Workplaces: around the shopping streets and stations.
        var work = new List<(double, double)>();
        var hubs = Enumerable.Range(0, places.Count).Where(p => places[p].Kind is PlaceKind.Shopping or PlaceKind.Transit).ToArray();
        if (hubs.Length == 0) hubs = [0];
        for (var tries = 0; work.Count < 2000 && tries < 20_000; tries++)
        {
            var (lon, lat) = _placeCentres[hubs[setup.Next(hubs.Length)]];
            var r = setup.Uniform(100, 900);
            var a = setup.Uniform(0, 2 * Math.PI);
            lon += r * Math.Cos(a) / _frame.MetresPerDegreeLon;
            lat += r * Math.Sin(a) / _frame.MetresPerDegreeLat;
            if (grid.TryLocateCell(lon, lat) < 0 || (wet is not null && wet.Contains(new Point(lon, lat)))) continue;
            work.Add((lon, lat));
        }

        _workplaces = work.Count > 0 ? [.. work] : [.. _homes.Take(1)];
    }

    /// <summary>The places.</summary>
    public IReadOnlyList<SimPlace> Places => _places;

    /// <summary>Simulates one local day.</summary>
    public SimulatedDay Simulate(DateOnly date)
    {
        var kind = _calendar.KindOf(date);
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), _area.TimeZone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds();
        var slotMinutes = _area.Settings.SlotMinutes;
        var cells = _area.Grid.Spec.CellCount;
        var slots = 24 * 60 / slotMinutes;
        var day = new SimulatedDay(date, dayStart, slotMinutes, cells, new int[slots * cells]);
        var output = new DayOutput(day, _options.Seed);
        var arrivals = new int[_places.Count][];
        for (var p = 0; p < arrivals.Length; p++) arrivals[p] = new int[24];

        var dayNumber = date.DayNumber;
        var present = 0;
        for (var person = 0; person < _residents; person++)
            present += Emit(output, person, Resident(dayNumber, person, kind, arrivals), dayNumber);
        if (kind == DayKind.Workday)
            for (var person = 0; person < _commuters; person++)
                present += Emit(output, _residents + person, Commuter(dayNumber, _residents + person, arrivals), dayNumber);

        var visitors = (int)(_options.People * 0.4 * VisitorFactor(date, kind));
        var visitorBase = 1_000_000_000L + ((long)dayNumber * 10_000_000);
        for (var v = 0; v < visitors; v++)
            present += Emit(output, visitorBase + v, Visitor(dayNumber, visitorBase + v, kind, arrivals, output), dayNumber);

        var scale = _options.People / 200_000.0;
        var eventBase = visitorBase + 5_000_000;
        foreach (var e in _calendar.EventsOn(date))
        {
            var place = IndexOf(e.Zone);
            if (place < 0) continue;
            var count = (int)(e.Attendance * scale);
            for (var v = 0; v < count; v++, eventBase++)
                present += Emit(output, eventBase, EventGoer(dayNumber, eventBase, place, e, kind, arrivals, output), dayNumber);
        }

        Browsing(dayNumber, kind, output);
        output.Finish(arrivals);
        day.PeoplePresent = present;
        return day;
    }

    // How many visitors come, relative to an ordinary working day.
    private double VisitorFactor(DateOnly date, DayKind kind)
    {
        if (kind == DayKind.Workday) return 1.0;
        if (kind == DayKind.Weekend) return 1.6;
        var holiday = _calendar.HolidayOn(date)!;
        var length = holiday.To.DayNumber - holiday.From.DayNumber + 1;
        var into = date.DayNumber - holiday.From.DayNumber;
        // Long holidays (Golden Week, Spring Festival) bring visitors from far away; their last day people go home.
        if (length >= 7) return into == length - 1 ? 2.0 : 3.2;
        return 2.2;
    }

    private int IndexOf(string name)
    {
        for (var p = 0; p < _places.Count; p++)
            if (string.Equals(_places[p].Name, name, StringComparison.Ordinal)) return p;
        return -1;
    }

    private Itinerary Resident(int day, long person, DayKind kind, int[][] arrivals)
    {
        // Homes are stable across days: the home stream does not depend on the day.
        var home = new SimRandom(SimRandom.Mix((ulong)(uint)_options.Seed) ^ SimRandom.Mix((ulong)person));
        var (hLon, hLat) = Jitter(_homes[PickCumulative(_homeWeights, ref home)], 40, ref home);
        var r = SimRandom.For(_options.Seed, day, person, 1);
        var it = new Itinerary();
        var t = 0L;
        if (kind == DayKind.Workday && r.Chance(0.35))
        {
            var (wLon, wLat) = Jitter(_workplaces[r.Next(_workplaces.Length)], 30, ref r);
            var leave = (long)(r.Uniform(7.3, 9.0) * Hour);
            t = it.Stay(t, leave, hLon, hLat);
            t = it.Move(t, hLon, hLat, wLon, wLat, null, RideMps, _frame);
            t = it.Stay(t, (long)(r.Uniform(17.3, 19.0) * Hour), wLon, wLat);
            t = it.Move(t, wLon, wLat, hLon, hLat, null, RideMps, _frame);
        }
        else if (kind != DayKind.Workday && r.Chance(0.2))
        {
            t = Outing(it, t, hLon, hLat, (long)(r.Uniform(10, 15) * Hour), kind, arrivals, ref r);
        }

        if (r.Chance(kind == DayKind.Workday ? 0.1 : 0.25))
        {
            var start = Math.Max(t, (long)(r.Uniform(18.5, 20.5) * Hour));
            t = Outing(it, t, hLon, hLat, start, kind, arrivals, ref r);
        }

        it.Stay(t, 24 * Hour, hLon, hLat);
        return it;
    }

    // From home to a place near it and back.
    private long Outing(Itinerary it, long t, double hLon, double hLat, long start, DayKind kind, int[][] arrivals, ref SimRandom r)
    {
        Span<double> w = stackalloc double[_places.Count];
        for (var p = 0; p < w.Length; p++) w[p] = Weight(p, kind) * Math.Exp(-_frame.Distance(hLon, hLat, _placeCentres[p].Lon, _placeCentres[p].Lat) / 3000);
        var place = r.Pick(w);
        var (pLon, pLat) = StayPoint(place, ref r);
        t = it.Stay(t, start, hLon, hLat);
        t = it.Move(t, hLon, hLat, pLon, pLat, null, RideMps, _frame);
        arrivals[place][Math.Min(23, (int)(t / Hour))]++;
        t = it.Stay(t, t + Dwell(place, ref r), pLon, pLat);
        return it.Move(t, pLon, pLat, hLon, hLat, null, RideMps, _frame);
    }

    private Itinerary Commuter(int day, long person, int[][] arrivals)
    {
        var r = SimRandom.For(_options.Seed, day, person, 2);
        var it = new Itinerary();
        var (wLon, wLat) = Jitter(_workplaces[r.Next(_workplaces.Length)], 30, ref r);
        var (eLon, eLat) = Offset(wLon, wLat, r.Uniform(150, 500), ref r);
        var t = (long)(r.Uniform(7.5, 9.5) * Hour);
        t = it.Move(t, eLon, eLat, wLon, wLat, null, WalkMps, _frame);
        t = it.Stay(t, (long)(r.Uniform(17.0, 19.0) * Hour), wLon, wLat);
        if (r.Chance(0.15))
        {
            var place = NearestOfKind(wLon, wLat, PlaceKind.Shopping);
            if (place >= 0)
            {
                var (pLon, pLat) = StayPoint(place, ref r);
                t = it.Move(t, wLon, wLat, pLon, pLat, null, WalkMps, _frame);
                arrivals[place][Math.Min(23, (int)(t / Hour))]++;
                t = it.Stay(t, t + (long)(r.Uniform(30, 90) * Minute), pLon, pLat);
                (wLon, wLat) = (pLon, pLat);
            }
        }

        var (xLon, xLat) = Offset(wLon, wLat, r.Uniform(150, 500), ref r);
        it.Move(t, wLon, wLat, xLon, xLat, null, WalkMps, _frame);
        return it;
    }

    private Itinerary Visitor(int day, long person, DayKind kind, int[][] arrivals, DayOutput output)
    {
        var r = SimRandom.For(_options.Seed, day, person, 3);
        Span<double> w = stackalloc double[_places.Count];
        for (var p = 0; p < w.Length; p++) w[p] = Weight(p, kind);
        var place = r.Pick(w);
        var arrive = ArrivalTime(place, kind, ref r);
        return Tour(place, arrive, 0, kind, arrivals, output, ref r);
    }

    private Itinerary EventGoer(int day, long person, int place, CrowdEvent e, DayKind kind, int[][] arrivals, DayOutput output)
    {
        var r = SimRandom.For(_options.Seed, day, person, 4);
        var start = e.Start.ToTimeSpan().Ticks / TimeSpan.TicksPerMillisecond;
        // Most arrive in the two hours before the start, some late; they stay to the end, give or take.
        var arrive = start + (long)(Triangular(-120, -30, 30, ref r) * Minute);
        var end = start + (long)e.Duration.TotalMilliseconds;
        var stay = Math.Max(20 * Minute, end - arrive + (long)(r.Gaussian() * 20 * Minute));
        return Tour(place, Math.Max(0, arrive), stay, kind, arrivals, output, ref r);
    }

    // A visit from outside: walk in, one to three places, walk out.
    private Itinerary Tour(int place, long arrive, long firstStay, DayKind kind, int[][] arrivals, DayOutput output, ref SimRandom r)
    {
        var it = new Itinerary();
        var (pLon, pLat) = StayPoint(place, ref r);
        var (eLon, eLat) = Offset(pLon, pLat, r.Uniform(200, 600), ref r);
        var approach = (long)(_frame.Distance(eLon, eLat, pLon, pLat) / WalkMps * 1000);
        var t = it.Move(Math.Max(0, arrive - approach), eLon, eLat, pLon, pLat, null, WalkMps, _frame);
        var stops = 0;
        Span<double> w = stackalloc double[_places.Count];
        while (true)
        {
            Arrive(place, t, arrivals, output, ref r);
            var stay = stops == 0 && firstStay > 0 ? firstStay : Dwell(place, ref r);
            t = it.Stay(t, Math.Min(24 * Hour - (30 * Minute), t + stay), pLon, pLat);
            stops++;
            if (stops >= 3 || t > 22 * Hour || !r.Chance(stops == 1 ? (kind == DayKind.Workday ? 0.45 : 0.6) : 0.3)) break;
            for (var p = 0; p < w.Length; p++)
                w[p] = p == place ? 0 : Weight(p, kind) * Math.Exp(-_frame.Distance(pLon, pLat, _placeCentres[p].Lon, _placeCentres[p].Lat) / 1200);
            var next = r.Pick(w);
            var (nLon, nLat) = StayPoint(next, ref r);
            t = Walk(it, t, place, pLon, pLat, next, nLon, nLat);
            (place, pLon, pLat) = (next, nLon, nLat);
        }

        var (xLon, xLat) = Offset(pLon, pLat, r.Uniform(200, 600), ref r);
        it.Move(t, pLon, pLat, xLon, xLat, null, WalkMps, _frame);
        return it;
    }

    // Along the streets when both places are on the network and a path joins them, else straight.
    private long Walk(Itinerary it, long t, int from, double lon0, double lat0, int to, double lon1, double lat1)
    {
        var path = _routes.Between(_placeNode[from], _placeNode[to]);
        if (path is null) return it.Move(t, lon0, lat0, lon1, lat1, null, WalkMps, _frame);
        var (aLon, aLat) = _routes.Node(_placeNode[from]);
        var (bLon, bLat) = _routes.Node(_placeNode[to]);
        t = it.Move(t, lon0, lat0, aLon, aLat, null, WalkMps, _frame);
        t = it.Move(t, aLon, aLat, bLon, bLat, path, WalkMps, _frame);
        return it.Move(t, bLon, bLat, lon1, lat1, null, WalkMps, _frame);
    }

    private void Arrive(int place, long t, int[][] arrivals, DayOutput output, ref SimRandom r)
    {
        arrivals[place][Math.Min(23, (int)(t / Hour))]++;
        if (_placePoi[place] is not { } poi || _places[place].Kind == PlaceKind.Transit || !r.Chance(_options.SearchShare)) return;
        var at = t - (long)(r.Uniform(60, 180) * Minute);
        if (at >= 0) output.Search(at, poi, ref r, leadsToVisit: true);
    }

    // Searches by people who never come: spread over the day like arrivals, for places as popular as they are.
    private void Browsing(int day, DayKind kind, DayOutput output)
    {
        var r = SimRandom.For(_options.Seed, day, -1, 5);
        var count = (int)(output.LeadSearches * _options.BrowsingShare);
        Span<double> w = stackalloc double[_places.Count];
        for (var p = 0; p < w.Length; p++) w[p] = _placePoi[p] is null || _places[p].Kind == PlaceKind.Transit ? 0 : Weight(p, kind);
        if (!w.ContainsAnyExcept(0)) return;
        for (var i = 0; i < count; i++)
        {
            var place = r.Pick(w);
            var at = ArrivalTime(place, kind, ref r) - (long)(r.Uniform(60, 180) * Minute);
            if (at >= 0) output.Search(at, _placePoi[place]!, ref r, leadsToVisit: false);
        }
    }

    private double Weight(int place, DayKind kind)
    {
        var p = _places[place];
        var factor = p.Kind switch
        {
            PlaceKind.Scenic => kind switch { DayKind.Workday => 0.7, DayKind.Weekend => 1.0, _ => 1.4 },
            PlaceKind.Shopping => kind switch { DayKind.Workday => 1.0, DayKind.Weekend => 1.3, _ => 1.2 },
            PlaceKind.Transit => kind == DayKind.Workday ? 0.5 : 0.4,
            _ => 0.2,
        };
        return p.Capacity * p.Draw * factor;
    }

    private long ArrivalTime(int place, DayKind kind, ref SimRandom r)
    {
        var off = kind != DayKind.Workday;
        var profile = _places[place].Kind switch
        {
            PlaceKind.Shopping => off ? ShoppingOff : ShoppingWork,
            PlaceKind.Transit => off ? TransitOff : TransitWork,
            _ => off ? ScenicOff : ScenicWork,
        };
        var hour = r.Pick(profile);
        return (hour * Hour) + (long)(r.NextDouble() * Hour);
    }

    private long Dwell(int place, ref SimRandom r)
    {
        var mean = _places[place].Kind switch { PlaceKind.Scenic => 70.0, PlaceKind.Shopping => 100.0, PlaceKind.Transit => 8.0, _ => 60.0 };
        // Log-normal around the mean: most stays near it, a few much longer.
        return (long)(mean * Math.Exp((0.45 * r.Gaussian()) - 0.1) * Minute);
    }

    private int NearestOfKind(double lon, double lat, PlaceKind kind)
    {
        var best = -1;
        var bestD = double.PositiveInfinity;
        for (var p = 0; p < _places.Count; p++)
        {
            if (_places[p].Kind != kind) continue;
            var d = _frame.Distance(lon, lat, _placeCentres[p].Lon, _placeCentres[p].Lat);
            if (d < bestD) (best, bestD) = (p, d);
        }

        return best;
    }

    private (double Lon, double Lat) StayPoint(int place, ref SimRandom r) =>
        Jitter(_placePoints[place][r.Next(_placePoints[place].Length)], 4, ref r);

    private (double Lon, double Lat) Jitter((double Lon, double Lat) p, double metres, ref SimRandom r) =>
        (p.Lon + (r.Uniform(-metres, metres) / _frame.MetresPerDegreeLon), p.Lat + (r.Uniform(-metres, metres) / _frame.MetresPerDegreeLat));

    private (double Lon, double Lat) Offset(double lon, double lat, double metres, ref SimRandom r)
    {
        var a = r.Uniform(0, 2 * Math.PI);
        return (lon + (metres * Math.Cos(a) / _frame.MetresPerDegreeLon), lat + (metres * Math.Sin(a) / _frame.MetresPerDegreeLat));
    }

    private static double Triangular(double min, double mode, double max, ref SimRandom r)
    {
        var u = r.NextDouble();
        var f = (mode - min) / (max - min);
        return u < f ? min + Math.Sqrt(u * (max - min) * (mode - min)) : max - Math.Sqrt((1 - u) * (max - min) * (max - mode));
    }

    private static double[] CumulativeOf(List<double> weights)
    {
        var c = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < c.Length; i++) c[i] = sum += weights[i];
        return c;
    }

    private static int PickCumulative(double[] cumulative, ref SimRandom r)
    {
        var x = r.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        return Math.Min(cumulative.Length - 1, i >= 0 ? i + 1 : ~i);
    }

    // Truth at each slot's middle, and the pings of a seen device; returns 1 when the person was present.
    private int Emit(DayOutput output, long person, Itinerary it, int day)
    {
        if (!it.Present) return 0;
        var grid = _area.Grid;
        var slotMs = output.Day.SlotMinutes * Minute;
        var truth = output.Day.Truth;
        var cells = output.Day.Cells;
        var first = (int)Math.Max(0, (it.Start - (slotMs / 2) + slotMs - 1) / slotMs);
        for (var s = first; s < output.Day.Slots; s++)
        {
            var mid = (s * slotMs) + (slotMs / 2);
            if (mid >= it.End) break;
            if (!it.TryPosition(mid, out var lon, out var lat, out _)) continue;
            var cell = grid.TryLocateCell(lon, lat);
            if (cell >= 0) truth[(s * cells) + cell]++;
        }

        var r = SimRandom.For(_options.Seed, day, person, 6);
        if (!r.Chance(_options.PanelFactor)) return 1;
        var device = output.Device(person);
        var twoSources = r.Chance(_options.DuplicateShare);
        var t = it.Start + (long)(r.NextDouble() * 5 * Minute);
        while (t < it.End && t < 24 * Hour)
        {
            if (!it.TryPosition(t, out var lon, out var lat, out var moving)) break;
            output.Ping(t, device, lon, lat, _frame, ref r);
            if (twoSources) output.Ping(t + 50 + r.Next(850), device, lon, lat, _frame, ref r);
            // Moving phones report more often than resting ones; never more than 15 minutes apart.
            t += (long)((moving ? r.Uniform(1, 5) : r.Uniform(3, 15)) * Minute);
        }

        return 1;
    }
}
