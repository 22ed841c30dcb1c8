namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// The in-memory map from the raw device ids of the rows being ingested to dense indices for per-device state, with
/// each device's pseudonym. The keyed hash is computed once per device rather than per row; raw ids stay in this
/// process's memory only while the device is active and are dropped by <see cref="EvictIdle"/>. Nothing here is ever
/// written out except the pseudonym.
/// </summary>
public sealed class DeviceDirectory
{
    private readonly Pseudonymiser _pseudonymiser;
    private readonly Dictionary<byte[], int> _byRaw = new(RawIdComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Stack<int> _free = new();
    private byte[]?[] _raw = new byte[]?[1024];
    private string?[] _pseudonyms = new string?[1024];
    private long[] _lastSeen = new long[1024];
    private int _next;

    /// <summary>Creates an empty directory whose pseudonyms come from <paramref name="pseudonymiser"/>.</summary>
    public DeviceDirectory(Pseudonymiser pseudonymiser)
    {
        _pseudonymiser = pseudonymiser ?? throw new ArgumentNullException(nameof(pseudonymiser));
        _lookup = _byRaw.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Number of devices held now.</summary>
    public int Count => _byRaw.Count;

    /// <summary>One more than the highest index handed out: per-device arrays must be at least this long.</summary>
    public int Capacity => _next;

    /// <summary>
    /// Returns the index of a device, creating it (and its pseudonym) on first sight; <paramref name="isNew"/> tells
    /// the caller to reset per-device state at that index, which may have belonged to an evicted device.
    /// </summary>
    public int Resolve(ReadOnlySpan<byte> rawId, long seenAtMs, out bool isNew)
    {
        if (_lookup.TryGetValue(rawId, out var index))
        {
            isNew = false;
            if (seenAtMs > _lastSeen[index]) _lastSeen[index] = seenAtMs;
            return index;
        }

        var raw = rawId.ToArray();
        index = _free.Count > 0 ? _free.Pop() : _next++;
        if (index >= _raw.Length)
        {
            Array.Resize(ref _raw, _raw.Length * 2);
            Array.Resize(ref _pseudonyms, _pseudonyms.Length * 2);
            Array.Resize(ref _lastSeen, _lastSeen.Length * 2);
        }

        _raw[index] = raw;
        _pseudonyms[index] = _pseudonymiser.Pseudonym(raw);
        _lastSeen[index] = seenAtMs;
        _byRaw.Add(raw, index);
        isNew = true;
        return index;
    }

    /// <summary>The pseudonym of a device that has been seen.</summary>
    public string PseudonymOf(int index) => _pseudonyms[index] ?? throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The pseudonym of a raw id without registering the device (for reports on rows that were rejected).</summary>
    public string PseudonymOf(ReadOnlySpan<byte> rawId) =>
        _lookup.TryGetValue(rawId, out var index) ? _pseudonyms[index]! : _pseudonymiser.Pseudonym(rawId);

    /// <summary>Drops every device last seen before <paramref name="beforeMs"/>; returns how many were dropped.</summary>
    public int EvictIdle(long beforeMs)
    {
        var dropped = 0;
        for (var i = 0; i < _next; i++)
        {
            if (_raw[i] is { } raw && _lastSeen[i] < beforeMs)
            {
                _byRaw.Remove(raw);
                Array.Clear(raw); // the raw id is not left behind in freed memory
                _raw[i] = null;
                _pseudonyms[i] = null;
                _free.Push(i);
                dropped++;
            }
        }

        return dropped;
    }
}
