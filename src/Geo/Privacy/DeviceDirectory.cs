using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// Maps the devices of the rows being ingested to dense indices for per-device state, and gives each its
/// pseudonym. A device already seen is recognised by a 128-bit keyed hash of its raw id (XxHash128 under a random
/// per-directory seed; two ids colliding is about as likely as 10^-29 for a million devices), so the HMAC pseudonym
/// is computed once per device rather than once per row, and no raw id is kept at all. Devices unseen for a while are
/// dropped by <see cref="EvictIdle"/>. Not thread-safe: one directory per ingest stream.
/// </summary>
public sealed class DeviceDirectory
{
    private const int Growth = 4;
    private readonly Pseudonymiser _pseudonymiser;
    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private readonly Stack<int> _free = new();
    private Entry[] _table = new Entry[4096];
    private int _mask = 4095;
    private UInt128[] _keys = new UInt128[1024];
    private UInt128[] _pseudonyms = new UInt128[1024];
    private bool[] _live = new bool[1024];
    private long[] _lastSeen = new long[1024];
    private int _next;
    private int _count;

    /// <summary>Creates an empty directory whose pseudonyms come from <paramref name="pseudonymiser"/>.</summary>
    public DeviceDirectory(Pseudonymiser pseudonymiser) => _pseudonymiser = pseudonymiser ?? throw new ArgumentNullException(nameof(pseudonymiser));

    /// <summary>Number of devices held now.</summary>
    public int Count => _count;

    /// <summary>The keyed hash by which a raw id is recognised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt128 Hash(ReadOnlySpan<byte> rawId) => XxHash128.HashToUInt128(rawId, _seed);

    /// <summary>Hints the CPU to fetch the table entry <paramref name="hash"/> will probe.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(UInt128 hash)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref _table[Home(hash)]));
    }

    /// <summary>
    /// Returns the index of a device, creating it (and its pseudonym) on first sight; <paramref name="isNew"/> tells
    /// the caller to reset per-device state at that index, which may have belonged to an evicted device.
    /// </summary>
    public int Resolve(ReadOnlySpan<byte> rawId, long seenAtMs, out bool isNew) => Resolve(Hash(rawId), rawId, seenAtMs, out isNew);

    /// <summary>As <see cref="Resolve(ReadOnlySpan{byte}, long, out bool)"/>, with the hash already computed.</summary>
    public int Resolve(UInt128 hash, ReadOnlySpan<byte> rawId, long seenAtMs, out bool isNew)
    {
        var i = Home(hash);
        while (true)
        {
            ref var e = ref _table[i];
            if (e.IndexPlusOne == 0) break;
            if (e.Hash == hash)
            {
                var index = e.IndexPlusOne - 1;
                if (seenAtMs > _lastSeen[index]) _lastSeen[index] = seenAtMs;
                isNew = false;
                return index;
            }

            i = (i + 1) & _mask;
        }

        var created = _free.Count > 0 ? _free.Pop() : _next++;
        if (created >= _keys.Length)
        {
            // Grow fourfold: each doubling of these large arrays would be another large-object allocation and GC.
            var size = _keys.Length * Growth;
            Array.Resize(ref _keys, size);
            Array.Resize(ref _pseudonyms, size);
            Array.Resize(ref _live, size);
            Array.Resize(ref _lastSeen, size);
        }

        _keys[created] = hash;
        _pseudonyms[created] = _pseudonymiser.PseudonymBits(rawId);
        _live[created] = true;
        _lastSeen[created] = seenAtMs;
        _table[i] = new Entry { Hash = hash, IndexPlusOne = created + 1 };
        if (++_count * 2 > _table.Length) Rebuild(_table.Length * Growth);
        isNew = true;
        return created;
    }

    /// <summary>The pseudonym of a device that has been seen.</summary>
    public string PseudonymOf(int index) =>
        (uint)index < (uint)_next && _live[index] ? Pseudonymiser.Format(_pseudonyms[index]) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The pseudonym of a device that has been seen, as its 128 bits (what the ingest log carries).</summary>
    public UInt128 PseudonymBitsOf(int index) =>
        (uint)index < (uint)_next && _live[index] ? _pseudonyms[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The pseudonym of a raw id without registering the device.</summary>
    public string PseudonymOf(ReadOnlySpan<byte> rawId) => _pseudonymiser.Pseudonym(rawId);

    /// <summary>Drops every device last seen before <paramref name="beforeMs"/>; returns how many were dropped.</summary>
    public int EvictIdle(long beforeMs)
    {
        var dropped = 0;
        for (var i = 0; i < _next; i++)
        {
            if (_live[i] && _lastSeen[i] < beforeMs)
            {
                _live[i] = false;
                _pseudonyms[i] = default;
                _keys[i] = default;
                _free.Push(i);
                dropped++;
            }
        }

        if (dropped > 0)
        {
            _count -= dropped;
            Rebuild(_table.Length);
        }

        return dropped;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(UInt128 hash) => (int)(ulong)hash & _mask;

    // Linear probing cannot simply blank an entry, so eviction and growth rebuild the table from the live devices.
    private void Rebuild(int size)
    {
        if (size == _table.Length) Array.Clear(_table);
        else _table = new Entry[size];
        _mask = size - 1;
        for (var index = 0; index < _next; index++)
        {
            if (!_live[index]) continue;
            var i = Home(_keys[index]);
            while (_table[i].IndexPlusOne != 0) i = (i + 1) & _mask;
            _table[i] = new Entry { Hash = _keys[index], IndexPlusOne = index + 1 };
        }
    }

    private struct Entry
    {
        public UInt128 Hash;
        public int IndexPlusOne; // 0: empty
    }
}
