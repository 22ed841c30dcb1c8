using System.Runtime.CompilerServices;

namespace CrowdWatch.Geo.Binning;

/// <summary>
/// An open-addressing set of 64-bit keys (linear probing, power-of-two capacity): the distinct (device, cell) pairs
/// of one slot. Far cheaper than <see cref="HashSet{T}"/> on the binning hot path.
/// </summary>
internal sealed class LongSet
{
    private const ulong Empty = ulong.MaxValue;
    private ulong[] _slots;
    private int _mask;
    private int _count;

    public LongSet(int capacity = 1024)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _slots = new ulong[size];
        Array.Fill(_slots, Empty);
        _mask = size - 1;
    }

    public int Count => _count;

    /// <summary>Adds <paramref name="key"/> (never <see cref="ulong.MaxValue"/>); true if it was not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(ulong key)
    {
        var i = (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & _mask;
        while (true)
        {
            var existing = _slots[i];
            if (existing == key) return false;
            if (existing == Empty) break;
            i = (i + 1) & _mask;
        }

        _slots[i] = key;
        if (++_count * 2 > _slots.Length) Grow();
        return true;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        Array.Fill(_slots, Empty);
        _mask = _slots.Length - 1;
        _count = 0;
        foreach (var k in old)
            if (k != Empty) Add(k);
    }
}
