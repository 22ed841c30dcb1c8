using System.Buffers;

namespace CrowdWatch.Geo.Binning;

/// <summary>
/// An append-only list of (device, cell) pairs, reused slot after slot. Its storage comes from the shared array pool,
/// so binners started one after another (a file at a time) reuse memory that is already mapped instead of faulting
/// in megabytes of fresh pages each time.
/// </summary>
internal sealed class PairBuffer
{
    private ulong[] _pairs;

    public PairBuffer(int capacity) => _pairs = ArrayPool<ulong>.Shared.Rent(Math.Max(1024, capacity));

    public int Count { get; private set; }

    public ReadOnlySpan<ulong> Pairs => _pairs.AsSpan(0, Count);

    public static ulong Pair(int device, int cell) => ((ulong)(uint)device << 32) | (uint)cell;

    public static int CellOf(ulong pair) => (int)(uint)pair;

    public static int DeviceOf(ulong pair) => (int)(pair >> 32);

    public void Add(ulong pair)
    {
        if (Count == _pairs.Length) Grow();
        _pairs[Count++] = pair;
    }

    public void Clear() => Count = 0;

    /// <summary>Makes room for <paramref name="extra"/> more pairs; returns the start of the storage for direct appends.</summary>
    public ref ulong Reserve(int extra)
    {
        while (_pairs.Length - Count < extra) Grow();
        return ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_pairs);
    }

    /// <summary>Sets the count after direct appends into the storage returned by <see cref="Reserve"/>.</summary>
    public void SetCount(int count) => Count = count;

    /// <summary>Gives the storage back to the pool; the buffer is empty and usable afterwards.</summary>
    public void Release()
    {
        if (_pairs.Length > 0) ArrayPool<ulong>.Shared.Return(_pairs);
        _pairs = [];
        Count = 0;
    }

    private void Grow()
    {
        var larger = ArrayPool<ulong>.Shared.Rent(Math.Max(1024, _pairs.Length * 2));
        _pairs.AsSpan(0, Count).CopyTo(larger);
        if (_pairs.Length > 0) ArrayPool<ulong>.Shared.Return(_pairs);
        _pairs = larger;
    }
}
