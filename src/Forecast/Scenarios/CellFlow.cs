namespace CrowdWatch.Forecast.Scenarios;

/// <summary>
/// Crowd movement between neighbouring cells along the walkable layer, limited by the width of each passage.
/// <para>
/// Each step, a cell holding more people than it is meant to (its target; everyone, when it is closed) sends the
/// surplus towards neighbours with room for them, shared by how much room each has: room is what a neighbour lacks of
/// its own target, or, for people leaving a closed cell, all the space left under the neighbour's capacity. What crosses
/// an edge is at most its width × <see cref="PersonsPerMetreMinute"/> × the step's minutes (about 82 persons per metre
/// per minute is the most a passage carries in crowd-safety practice); what reaches a cell is at most its space left
/// under its capacity, scaled down evenly over what comes in. A cell fuller than its capacity pushes its surplus into
/// any neighbour with space, as a closed one does: that is spill-over. People not moved wait where they are: that is a
/// queue.
/// Every person leaving a cell arrives in another, so the total never changes.
/// </para>
/// </summary>
public sealed class CellFlow
{
    private readonly double[] _capacity;
    private readonly FlowEdge[] _edges;
    private readonly int[][] _edgesOf;
    private readonly Scratch _scratch;

    /// <summary>A network of cells with their capacities (people) and the passages between them.</summary>
    public CellFlow(IReadOnlyList<double> capacity, IReadOnlyList<FlowEdge> edges, double personsPerMetreMinute = 82)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(personsPerMetreMinute);
        _capacity = [.. capacity];
        _edges = [.. edges];
        var of = Enumerable.Range(0, _capacity.Length).Select(_ => new List<int>()).ToArray();
        for (var e = 0; e < _edges.Length; e++)
        {
            var (a, b, w) = (_edges[e].A, _edges[e].B, _edges[e].WidthM);
            if ((uint)a >= (uint)_capacity.Length || (uint)b >= (uint)_capacity.Length || a == b) throw new ArgumentException($"edge {e} joins {a} and {b}: expected two different cells from 0 to {_capacity.Length - 1}");
            if (!(w >= 0)) throw new ArgumentException($"edge {e} has width {w}: expected 0 m or more");
            of[a].Add(e);
            of[b].Add(e);
        }

        _edgesOf = [.. of.Select(l => l.ToArray())];
        _scratch = new Scratch(_capacity.Length, _edges.Length, _edgesOf.Length == 0 ? 0 : _edgesOf.Max(l => l.Length));
        PersonsPerMetreMinute = personsPerMetreMinute;
    }

    /// <summary>The most people one metre of passage carries a minute.</summary>
    public double PersonsPerMetreMinute { get; }

    /// <summary>Cells in the network.</summary>
    public int Cells => _capacity.Length;

    /// <summary>
    /// Moves <paramref name="people"/> one step of <paramref name="minutes"/> towards <paramref name="target"/>, with
    /// the cells in <paramref name="closed"/> (if any) emptying into their open neighbours and, where
    /// <paramref name="gates"/> are given, no more walking into a gated group of cells than its budget (what enters is
    /// taken off the budget).
    /// </summary>
    public FlowStep Step(IReadOnlyList<double> people, IReadOnlyList<double> target, double minutes, IReadOnlyList<bool>? closed = null, FlowGates? gates = null)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(target);
        // Arrays from here on: the loops below index every cell several times, and an interface call each time costs.
        var before = people as double[] ?? [.. people];
        var next = (double[])before.Clone();
        var (ab, ba) = (new double[_edges.Length], new double[_edges.Length]);
        lock (_scratch) Move(before, next, target as double[] ?? [.. target], minutes, closed is null ? null : closed as bool[] ?? [.. closed], gates, ab, ba);
        return new FlowStep(next, ab, ba);
    }

    /// <summary>
    /// As <see cref="Step"/>, moving the people of <paramref name="people"/> in place and keeping no record of the
    /// flows: the scenario run's hot path, which allocates nothing.
    /// </summary>
    public void Advance(double[] people, double[] target, double minutes, bool[]? closed = null, FlowGates? gates = null)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(target);
        lock (_scratch) Move(people, people, target, minutes, closed, gates, _scratch.AtoB, _scratch.BtoA);
    }

    // Reads only `people` until the last loop, which writes `next` (which may be `people` itself).
    private void Move(double[] people, double[] next, double[] target, double minutes, bool[]? closed, FlowGates? gates, double[] ab, double[] ba)
    {
        if (people.Length != Cells || target.Length != Cells || (closed is not null && closed.Length != Cells)) throw new ArgumentException($"people, target and closed must each hold {Cells} cells");
        if (gates is not null && gates.GateOf.Length != Cells) throw new ArgumentException($"gates must name a gate (or -1) for each of the {Cells} cells");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minutes);
        bool Closed(int c) => closed is not null && closed[c];
        var n = Cells;
        // A cell is pushed when it is closed or fuller than its capacity: its people may go wherever there is space,
        // not only where a neighbour lacks people of its own target.
        var (surplus, pushed) = (_scratch.Surplus, _scratch.Pushed);
        for (var c = 0; c < n; c++)
        {
            var p = people[c];
            pushed[c] = Closed(c) || p > _capacity[c];
            surplus[c] = Closed(c) ? p : pushed[c] ? p - Math.Min(target[c], _capacity[c]) : Math.Max(0, p - target[c]);
        }

        // What each sender wants to put across each of its edges: its surplus shared by its neighbours' room.
        Array.Clear(ab);
        Array.Clear(ba);
        var room = _scratch.Room;
        for (var c = 0; c < n; c++)
        {
            if (!(surplus[c] > 0)) continue;
            var mine = _edgesOf[c];
            var total = 0.0;
            for (var k = 0; k < mine.Length; k++)
            {
                var e = _edges[mine[k]];
                var other = e.A == c ? e.B : e.A;
                room[k] = Closed(other) ? 0
                    : pushed[c] ? Math.Max(0, _capacity[other] - people[other])
                    : Math.Max(0, Math.Min(target[other], _capacity[other]) - people[other]);
                total += room[k];
            }

            if (!(total > 0)) continue;
            for (var k = 0; k < mine.Length; k++)
            {
                var index = mine[k];
                var e = _edges[index];
                var want = Math.Min(surplus[c] * room[k] / total, e.WidthM * PersonsPerMetreMinute * minutes);
                if (e.A == c) ab[index] = want;
                else ba[index] = want;
            }
        }

        // Gates: every walk into a gated group from outside it shares the group's budget alike.
        if (gates is not null) ApplyGates(gates, ab, ba);

        // What may arrive: no cell past its capacity; every flow into a full cell is scaled down alike.
        var incoming = _scratch.Incoming;
        Array.Clear(incoming);
        for (var e = 0; e < _edges.Length; e++)
        {
            incoming[_edges[e].B] += ab[e];
            incoming[_edges[e].A] += ba[e];
        }

        // The space is what is free before anyone leaves: people leaving a cell in the same step may yet be held back by
        // their own receivers, and the cell must not overflow either way.
        var scale = _scratch.Scale;
        for (var c = 0; c < n; c++)
        {
            var space = Math.Max(0, _capacity[c] - people[c]);
            scale[c] = incoming[c] > space ? space / incoming[c] : 1;
        }

        for (var e = 0; e < _edges.Length; e++)
        {
            var (a, b) = (_edges[e].A, _edges[e].B);
            ab[e] *= scale[b];
            ba[e] *= scale[a];
            next[a] += ba[e] - ab[e];
            next[b] += ab[e] - ba[e];
        }

        if (gates is not null) ForEachEntry(gates, ab, ba, (g, flow) => gates.Budget[g] -= flow);
    }

    // Scales every walk into a gated group from outside it so that together they keep within the group's budget.
    private void ApplyGates(FlowGates gates, double[] ab, double[] ba)
    {
        var inbound = new double[gates.Budget.Length];
        ForEachEntry(gates, ab, ba, (g, flow) => inbound[g] += flow);
        var factor = new double[inbound.Length];
        for (var g = 0; g < factor.Length; g++) factor[g] = inbound[g] > Math.Max(0, gates.Budget[g]) ? Math.Max(0, gates.Budget[g]) / inbound[g] : 1;
        for (var e = 0; e < _edges.Length; e++)
        {
            var (ga, gb) = (gates.GateOf[_edges[e].A], gates.GateOf[_edges[e].B]);
            if (gb >= 0 && gb != ga) ab[e] *= factor[gb];
            if (ga >= 0 && ga != gb) ba[e] *= factor[ga];
        }
    }

    private void ForEachEntry(FlowGates gates, double[] ab, double[] ba, Action<int, double> entry)
    {
        for (var e = 0; e < _edges.Length; e++)
        {
            var (ga, gb) = (gates.GateOf[_edges[e].A], gates.GateOf[_edges[e].B]);
            if (gb >= 0 && gb != ga && ab[e] > 0) entry(gb, ab[e]);
            if (ga >= 0 && ga != gb && ba[e] > 0) entry(ga, ba[e]);
        }
    }

    // Working arrays of one step, kept between steps (a city's are a few hundred KB, large-object-heap sized): used
    // under a lock, so that a network shared between threads stays correct.
    private sealed class Scratch(int cells, int edges, int degree)
    {
        public double[] Surplus { get; } = new double[cells];
        public bool[] Pushed { get; } = new bool[cells];
        public double[] Incoming { get; } = new double[cells];
        public double[] Scale { get; } = new double[cells];
        public double[] Room { get; } = new double[degree];
        public double[] AtoB { get; } = new double[edges];
        public double[] BtoA { get; } = new double[edges];
    }
}
