using NetTopologySuite.Geometries;

namespace CrowdWatch.Simulation;

/// <summary>
/// The streets people walk along between places: the base map's road lines as a graph (vertices closer than
/// <see cref="SnapM"/> merged, so lines that meet are joined), with shortest walking paths by Dijkstra.
/// </summary>
public sealed class RouteNetwork
{
    /// <summary>Vertices closer than this are one node.</summary>
    public const double SnapM = 40;

    private readonly List<(double Lon, double Lat)> _nodes = [];
    private readonly List<List<(int To, double M)>> _edges = [];
    private readonly Dictionary<(int, int), WalkPath?> _paths = [];
    private readonly LocalFrame _frame;

    /// <summary>Builds the graph from lines in lon/lat.</summary>
    public RouteNetwork(IEnumerable<LineString> lines, LocalFrame frame)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _frame = frame;
        foreach (var line in lines)
        {
            var previous = -1;
            foreach (var c in line.Coordinates)
            {
                var node = NodeAt(c.X, c.Y);
                if (previous >= 0 && previous != node)
                {
                    var m = frame.Distance(_nodes[previous].Lon, _nodes[previous].Lat, _nodes[node].Lon, _nodes[node].Lat);
                    _edges[previous].Add((node, m));
                    _edges[node].Add((previous, m));
                }

                previous = node;
            }
        }
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>The node nearest a point and its distance in metres; -1 when the network is empty.</summary>
    public int Nearest(double lon, double lat, out double distanceM)
    {
        var best = -1;
        distanceM = double.PositiveInfinity;
        for (var i = 0; i < _nodes.Count; i++)
        {
            var d = _frame.Distance(lon, lat, _nodes[i].Lon, _nodes[i].Lat);
            if (d < distanceM) (best, distanceM) = (i, d);
        }

        return best;
    }

    /// <summary>The shortest walk from node <paramref name="from"/> to node <paramref name="to"/>, or null when they are not connected.</summary>
    public WalkPath? Between(int from, int to)
    {
        if (from == to || from < 0 || to < 0) return null;
        if (_paths.TryGetValue((from, to), out var cached)) return cached;
        var dist = new double[_nodes.Count];
        var back = new int[_nodes.Count];
        Array.Fill(dist, double.PositiveInfinity);
        Array.Fill(back, -1);
        dist[from] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(from, 0);
        while (queue.TryDequeue(out var n, out var d))
        {
            if (d > dist[n]) continue;
            if (n == to) break;
            foreach (var (next, m) in _edges[n])
            {
                var nd = d + m;
                if (nd < dist[next])
                {
                    dist[next] = nd;
                    back[next] = n;
                    queue.Enqueue(next, nd);
                }
            }
        }

        WalkPath? path = null;
        if (!double.IsPositiveInfinity(dist[to]))
        {
            var chain = new List<int>();
            for (var n = to; n >= 0; n = back[n]) chain.Add(n);
            chain.Reverse();
            path = new WalkPath([.. chain.Select(i => _nodes[i].Lon)], [.. chain.Select(i => _nodes[i].Lat)], _frame);
        }

        _paths[(from, to)] = path;
        return path;
    }

    /// <summary>A node's position.</summary>
    public (double Lon, double Lat) Node(int index) => _nodes[index];

    private int NodeAt(double lon, double lat)
    {
        for (var i = 0; i < _nodes.Count; i++)
            if (_frame.Distance(lon, lat, _nodes[i].Lon, _nodes[i].Lat) < SnapM) return i;
        _nodes.Add((lon, lat));
        _edges.Add([]);
        return _nodes.Count - 1;
    }
}
