namespace CrowdWatch.Geo.Binning;

/// <summary>An append-only list of (device, cell) pairs, reused slot after slot.</summary>
internal sealed class PairBuffer
{
    private ulong[] _pairs;

    public PairBuffer(int capacity) => _pairs = new ulong[Math.Max(1024, capacity)];

    public int Count { get; private set; }

    public ReadOnlySpan<ulong> Pairs => _pairs.AsSpan(0, Count);

    public static ulong Pair(int device, int cell) => ((ulong)(uint)device << 32) | (uint)cell;

    public static int CellOf(ulong pair) => (int)(uint)pair;

    public static int DeviceOf(ulong pair) => (int)(pair >> 32);

    public void Add(ulong pair)
    {
        if (Count == _pairs.Length) Array.Resize(ref _pairs, _pairs.Length * 2);
        _pairs[Count++] = pair;
    }

    public void Clear() => Count = 0;
}
