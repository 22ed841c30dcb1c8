using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Forecast.Scenarios;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// Runs a scenario over a walk network, step by step (see README, Scenario planning):
/// <list type="number">
/// <item>Visitors of the baseline come and go: each step a share step/dwell of a cell's people leaves and arrivals make
/// up the demand of the next point; arrivals meant for a closed cell arrive at the nearest open cells instead.</item>
/// <item>Admission limits: arrivals into a gated zone and walks into it from outside share the zone's people a minute;
/// arrivals over that are turned away (counted), walkers wait outside (a queue).</item>
/// <item>Events: attendees arrive in the cells around the venue by their profile and walk in through the passages,
/// so narrow entries queue; they leave the venue after the end.</item>
/// <item>Movement: <see cref="CellFlow"/> moves surplus people towards cells short of their demand, empties closed
/// cells and spills over-full ones, each passage at most width × 82 persons a minute; whoever still finds no room
/// under a cell's jam density stays away, and is counted.</item>
/// </list>
/// Pure: the same plan gives the same outcome.
/// </summary>
public static class ScenarioRun
{
    /// <summary>Slots of history the surge rule sees.</summary>
    private const int Before = 12;

    /// <summary>Runs <paramref name="plan"/> on <paramref name="network"/>.</summary>
    public static ScenarioOutcome Simulate(WalkNetwork network, ScenarioPlan plan, TriggerRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        rules ??= new TriggerRules();
        var n = network.Cells;
        if (plan.Demand.Any(d => d.Length != n)) throw new ArgumentException($"the demand must hold {n} cells at every point");
        if (!(plan.DwellMinutes > 0)) throw new ArgumentException("the dwell time must be positive");
        var zones = network.Area.Zones.Zones.Count;
        var minutes = (double)plan.StepMinutes;

        // Gates: the zones with admission limits, by the cells they cover at least half of.
        var (gateOf, gateZone, gateRate) = Gates(network, plan);
        var gates = plan.Admissions.Count == 0 ? null : new FlowGates(gateOf, new double[plan.Admissions.Count]);
        var turnedAway = new double[zones];
        var noRoom = new double[zones + 1]; // [0]: cells outside any zone
        var entries = plan.Events.Select(e => Entries(network, e.Venue)).ToArray();
        var venueShare = plan.Events.Select(e => Shares(e.Venue, network.WalkableM2)).ToArray();

        var people = (double[])plan.Demand[0].Clone();
        for (var e = 0; e < plan.Events.Count; e++)
            Spread(people, plan.Events[e].Venue, venueShare[e], plan.Events[e].Attendance * Present(plan.Events[e], plan.FromMs));
        var cells = new float[plan.Steps + 1][];
        cells[0] = ToFloat(people);
        var arrivals = new double[n];
        var target = new double[n];
        var held = new double[n];
        var closed = new bool[n];
        var redirects = new Dictionary<string, (int From, int[] To)[]>();
        for (var s = 0; s < plan.Steps; s++)
        {
            var (t, t1) = (plan.At(s), plan.At(s + 1));
            var (d0, d1) = (plan.Demand[s], plan.Demand[s + 1]);
            var key = CloseNow(plan, t, closed);

            // Turnover: a share of each cell's visitors leaves; arrivals bring the cell to its next demand. The share
            // leaving is the demand's, applied to everyone there but an event's audience (who stay to its end), so that
            // people moved in by a closure or a spill leave as the cell's own do.
            Turnover(plan, entries, venueShare, d0, d1, t, minutes, people, held, arrivals);

            if (key.Length > 0)
            {
                if (!redirects.TryGetValue(key, out var moves)) redirects[key] = moves = Redirects(network, closed);
                foreach (var (from, to) in moves)
                {
                    var share = arrivals[from] / to.Length;
                    arrivals[from] = 0;
                    foreach (var c in to) arrivals[c] += share;
                }
            }

            // Gates: arrivals first, then walkers share what is left of the step's budget.
            if (gates is not null) Admit(gates, gateOf, gateZone, gateRate, arrivals, turnedAway, minutes);

            for (var c = 0; c < n; c++)
            {
                people[c] += arrivals[c];
                target[c] = d1[c];
            }

            MoveEventCrowds(plan, entries, venueShare, closed, people, target, t, t1);

            network.Flow.Advance(people, target, minutes, key.Length > 0 ? closed : null, gates);
            // Whoever is still past a cell's jam density found no room within reach: they stay away (counted).
            CapAtJam(network, people, noRoom);

            cells[s + 1] = ToFloat(people);
        }

        return Outcome(network, plan, cells, turnedAway, noRoom, rules);
    }

    // The step's leavers and arrivals per cell (see Simulate): everyone but an event's audience and its queue turns over.
    private static void Turnover(ScenarioPlan plan, (int Cell, double Width)[][] entries, double[][] venueShare, double[] d0, double[] d1, long t, double minutes,
        double[] people, double[] held, double[] arrivals)
    {
        var n = people.Length;
        Array.Clear(held);
        for (var e = 0; e < plan.Events.Count; e++)
        {
            var ev = plan.Events[e];
            Spread(held, ev.Venue, venueShare[e], ev.Attendance * Present(ev, t));
            // Those queuing at its entries wait for it rather than go home.
            if (t >= ev.StartMs - (ev.ArrivalMinutes * 60_000L) && t < ev.EndMs)
                foreach (var (cell, _) in entries[e]) held[cell] += Math.Max(0, people[cell] - d0[cell]);
        }

        for (var c = 0; c < n; c++)
        {
            var (a0, a1) = (d0[c], d1[c]);
            var turnover = a0 * minutes / plan.DwellMinutes;
            var arrive = Math.Max(0, a1 - a0 + turnover);
            var share = a0 > 0 ? Math.Min(1, (arrive - (a1 - a0)) / a0) : Math.Min(1, minutes / plan.DwellMinutes);
            people[c] -= Math.Max(0, people[c] - held[c]) * share;
            arrivals[c] = arrive;
        }
    }

    // Each cell's gate (-1: none), and each gate's zone and rate (people a minute).
    private static (int[] GateOf, int[] GateZone, double[] GateRate) Gates(WalkNetwork network, ScenarioPlan plan)
    {
        var (n, zones) = (network.Cells, network.Area.Zones.Zones.Count);
        var gateOf = Enumerable.Repeat(-1, n).ToArray();
        var gateZone = new int[plan.Admissions.Count];
        var gateRate = new double[plan.Admissions.Count];
        for (var g = 0; g < plan.Admissions.Count; g++)
        {
            var (zone, rate) = (plan.Admissions[g].Zone, plan.Admissions[g].PeoplePerMinute);
            if ((uint)zone >= (uint)zones) throw new ArgumentException($"admission limit {g}: no zone {zone}");
            if (!(rate >= 0)) throw new ArgumentException($"admission limit {g}: expected 0 or more people a minute, got {rate}");
            gateZone[g] = zone;
            gateRate[g] = rate;
            for (var c = 0; c < n; c++) if (network.ZoneOfCell[c] == zone) gateOf[c] = g;
        }

        return (gateOf, gateZone, gateRate);
    }

    // Marks the cells closed at <paramref name="t"/>; the key names the closures in force (empty: none).
    private static string CloseNow(ScenarioPlan plan, long t, bool[] closed)
    {
        Array.Clear(closed);
        var key = "";
        for (var k = 0; k < plan.Closures.Count; k++)
        {
            if (!plan.Closures[k].Holds(t)) continue;
            key += k + ",";
            foreach (var c in plan.Closures[k].Cells) closed[c] = true;
        }

        return key;
    }

    // Arrivals into gated zones are admitted up to each gate's budget for the step; the rest are turned away.
    private static void Admit(FlowGates gates, int[] gateOf, int[] gateZone, double[] gateRate, double[] arrivals, double[] turnedAway, double minutes)
    {
        var n = arrivals.Length;
        var wanted = new double[gateZone.Length];
        for (var c = 0; c < n; c++) if (gateOf[c] >= 0) wanted[gateOf[c]] += arrivals[c];
        for (var g = 0; g < gateZone.Length; g++)
        {
            var budget = gateRate[g] * minutes;
            var admitted = Math.Min(wanted[g], budget);
            turnedAway[gateZone[g]] += wanted[g] - admitted;
            gates.Budget[g] = budget - admitted;
            var scale = wanted[g] > 0 ? admitted / wanted[g] : 1;
            for (var c = 0; c < n; c++) if (gateOf[c] == g) arrivals[c] *= scale;
        }
    }

    // Each event's audience arrives through its open entries (or straight into the venue when none is open) and
    // leaves from the venue; the venue's target holds those present at the step's end.
    private static void MoveEventCrowds(ScenarioPlan plan, (int Cell, double Width)[][] entries, double[][] venueShare, bool[] closed, double[] people, double[] target,
        long t, long t1)
    {
    for (var e = 0; e < plan.Events.Count; e++)
    {
        var ev = plan.Events[e];
        var come = ev.Attendance * (ev.Arrived(t1) - ev.Arrived(t));
        var open = entries[e].Where(x => !closed[x.Cell]).ToArray();
        if (open.Length == 0) Spread(people, ev.Venue, venueShare[e], come);
        else
        {
            var width = open.Sum(x => x.Width);
            foreach (var (cell, w) in open) people[cell] += come * w / width;
        }

        // Leaving: from the venue, as many as are there.
        var go = ev.Attendance * (ev.Departed(t1) - ev.Departed(t));
        if (go > 0)
        {
            var there = ev.Venue.Sum(c => people[c]);
            var k = there > 0 ? Math.Min(1, go / there) : 0;
            foreach (var c in ev.Venue) people[c] -= people[c] * k;
        }

        Spread(target, ev.Venue, venueShare[e], ev.Attendance * Present(ev, t1));
    }
    }

    // Cells past their jam density keep their capacity; the rest are counted, by zone, as finding no room.
    private static void CapAtJam(WalkNetwork network, double[] people, double[] noRoom)
    {
        for (var c = 0; c < people.Length; c++)
        {
            var over = people[c] - network.Capacity[c];
            if (!(over > 0)) continue;
            people[c] = network.Capacity[c];
            noRoom[Math.Max(0, network.ZoneOfCell[c] + 1)] += over;
        }
    }

    /// <summary>Share of an event's attendance in the venue at <paramref name="ms"/>: arrived and not yet gone.</summary>
    private static double Present(ScenarioEvent e, long ms) => Math.Max(0, e.Arrived(ms) - e.Departed(ms));

    private static ScenarioOutcome Outcome(WalkNetwork network, ScenarioPlan plan, float[][] cells, double[] turnedAway, double[] noRoom, TriggerRules rules)
    {
        var n = network.Cells;
        var points = cells.Length;
        var zones = new List<ZoneOutcome>();
        var row = new double[n];
        var zonePeople = network.Area.Zones.Zones.Select(_ => new double[points]).ToArray();
        var peak = new double[n];
        var peakAt = new long[n];
        for (var i = 0; i < points; i++)
        {
            for (var c = 0; c < n; c++)
            {
                row[c] = cells[i][c];
                var walk = network.WalkableM2[c];
                var d = walk > 0 ? row[c] / walk : 0;
                if (d > peak[c]) (peak[c], peakAt[c]) = (d, plan.At(i));
            }

            for (var z = 0; z < zonePeople.Length; z++) zonePeople[z][i] = network.ZonePeople(z, row);
        }

        for (var z = 0; z < zonePeople.Length; z++)
        {
            var zone = network.Area.Zones.Zones[z];
            var p = zonePeople[z];
            var levels = new RiskLevel[points];
            var warnings = new RiskLevel[points];
            var first = new long?[4];
            ScenarioWarning? firstWarning = null;
            var place = new Place($"zone:{zone.Name}", zone.NameZh ?? zone.Name, zone.NameEn ?? zone.Name, []);
            var cap = network.ZoneCapacity[z];
            var top = 0;
            for (var i = 0; i < points; i++)
            {
                levels[i] = network.ZoneLevel(z, p[i]);
                if (p[i] > p[top]) top = i;
                var before = p.AsSpan(Math.Max(0, i - Before), Math.Min(i, Before)).ToArray();
                var slot = new PlaceSlot(place, plan.At(i), plan.StepMinutes, p[i], before, network.ZoneWalkableM2[z], double.IsNaN(cap) ? null : cap,
                    network.ZoneThresholds[z], double.NaN, [], null, null, network.Area.TimeZone);
                var judged = TriggerEvaluation.Evaluate(slot, rules);
                warnings[i] = judged.Level;
                if (judged.Leading is { } lead && firstWarning is null) firstWarning = new ScenarioWarning(plan.At(i), lead.Level, lead.Kind, lead.Reason);
                for (var l = RiskLevel.Blue; l <= judged.Level; l++) first[(int)l - 1] ??= plan.At(i);
            }

            var walk = network.ZoneWalkableM2[z];
            zones.Add(new ZoneOutcome(z, zone.Name, p, levels, warnings, p[top], walk > 0 ? p[top] / walk : 0, double.IsNaN(cap) ? double.NaN : p[top] / cap,
                plan.At(top), firstWarning, first, turnedAway[z], noRoom[z + 1]));
        }

        var spec = network.Area.Grid.Spec;
        var outlooks = new List<CellOutlook>();
        for (var c = 0; c < n; c++)
            if (peak[c] > 0) outlooks.Add(new CellOutlook(c, c / spec.Cols, c % spec.Cols, network.WalkableM2[c], network.WalkableM2[c] > 0 ? cells[^1][c] / network.WalkableM2[c] : 0, peak[c], peakAt[c], peak[c], peak[c]));
        var riskPoints = RiskPoints.Find(outlooks, LevelThresholds.Default, RiskLevel.Yellow);
        return new ScenarioOutcome(plan, cells, zones, riskPoints, peak, noRoom.Sum());
    }

    // The cells around a venue people walk in from, with the width of the passages joining each to it.
    private static (int Cell, double Width)[] Entries(WalkNetwork network, int[] venue)
    {
        var inside = venue.ToHashSet();
        var width = new Dictionary<int, double>();
        foreach (var e in network.Edges)
        {
            if (inside.Contains(e.A) && !inside.Contains(e.B)) width[e.B] = width.GetValueOrDefault(e.B) + e.WidthM;
            else if (inside.Contains(e.B) && !inside.Contains(e.A)) width[e.A] = width.GetValueOrDefault(e.A) + e.WidthM;
        }

        return [.. width.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value))];
    }

    // Each venue cell's share of the venue's walkable area (even shares if it has none).
    private static double[] Shares(int[] venue, double[] walkable)
    {
        var total = venue.Sum(c => walkable[c]);
        return [.. venue.Select(c => total > 0 ? walkable[c] / total : 1.0 / venue.Length)];
    }

    private static void Spread(double[] values, int[] venue, double[] shares, double amount)
    {
        if (amount == 0) return;
        for (var k = 0; k < venue.Length; k++) values[venue[k]] += amount * shares[k];
    }

    // Each closed cell's nearest open cells along the passages (breadth first), which take its arrivals in equal parts.
    private static (int From, int[] To)[] Redirects(WalkNetwork network, bool[] closed)
    {
        var moves = new List<(int, int[])>();
        for (var c = 0; c < closed.Length; c++)
        {
            if (!closed[c]) continue;
            var seen = new HashSet<int> { c };
            var frontier = new List<int> { c };
            int[] found = [];
            while (frontier.Count > 0 && found.Length == 0)
            {
                var next = new List<int>();
                foreach (var f in frontier)
                    foreach (var m in network.Neighbours[f])
                        if (seen.Add(m)) next.Add(m);
                found = [.. next.Where(m => !closed[m]).Order()];
                frontier = next;
            }

            // A closed cell with no open cell within reach keeps its arrivals: they have nowhere else to be.
            if (found.Length > 0) moves.Add((c, found));
        }

        return [.. moves];
    }

    private static float[] ToFloat(double[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }
}
