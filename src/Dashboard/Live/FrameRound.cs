using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// One look at an area's newest slot, for every audience: the cells that changed since the last look, and every cell
/// with anyone in it for a client that fell behind or reconnected. Each frame (area or zone, changes or whole, per
/// audience) is packed only when someone takes it, once, and serialised once per hub protocol, however many clients
/// take it.
/// </summary>
public sealed class FrameRound
{
    private readonly HeatCell[][] _changes;
    private readonly HeatCell[]?[] _whole;
    private readonly bool[] _full;
    private readonly IReadOnlyDictionary<string, HashSet<int>> _zones;
    private readonly ConcurrentDictionary<(Audience, string, bool), Lazy<SerializedHubMessage?>> _messages = new();
    private readonly Func<(Audience, string, bool), Lazy<SerializedHubMessage?>> _make;

    /// <summary>
    /// A round of <paramref name="area"/>'s slot <paramref name="slotMs"/>: per audience (indexed by <see cref="Audience"/>)
    /// its changed cells and every cell with anyone in it (null: not drawn for that audience, nobody of it was
    /// connected), both in ascending cell order; <paramref name="full"/>: the changes are every cell (that audience's
    /// first round); <paramref name="zones"/>: each zone's place id and cells.
    /// </summary>
    public FrameRound(string area, string slot, long slotMs, bool[] full, HeatCell[][] changes, HeatCell[]?[] whole, IReadOnlyDictionary<string, HashSet<int>> zones)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(whole);
        if (full.Length != 2 || changes.Length != 2 || whole.Length != 2) throw new ArgumentException("expected one entry per audience");
        (Area, Slot, SlotMs, _full, _changes, _whole, _zones) = (area, slot, slotMs, full, changes, whole, zones ?? throw new ArgumentNullException(nameof(zones)));
        _make = key => new Lazy<SerializedHubMessage?>(() =>
            Frame(key.Item1, key.Item2.Length == 0 ? null : key.Item2, key.Item3) is { } frame ? new SerializedHubMessage(new InvocationMessage(nameof(ILiveClient.HeatFrame), [frame])) : null);
    }

    /// <summary>The area's name.</summary>
    public string Area { get; }

    /// <summary>The slot's label (local time with offset).</summary>
    public string Slot { get; }

    /// <summary>The slot's start (Unix ms).</summary>
    public long SlotMs { get; }

    /// <summary>Whether this round was drawn for <paramref name="audience"/>.</summary>
    public bool Drawn(Audience audience) => _whole[(int)audience] is not null;

    /// <summary>How many cells changed for <paramref name="audience"/>.</summary>
    public int Changed(Audience audience) => _changes[(int)audience].Length;

    /// <summary>
    /// The frame of the area (<paramref name="place"/> null) or of one zone for <paramref name="audience"/>: the changes,
    /// or every cell (<paramref name="whole"/>); null for a zone where nothing changed, an unknown zone, or an
    /// audience the round was not drawn for.
    /// </summary>
    public HeatFrame? Frame(Audience audience, string? place, bool whole)
    {
        if (_whole[(int)audience] is not { } all) return null;
        var cells = whole ? all : _changes[(int)audience];
        if (place is not null)
        {
            if (!_zones.TryGetValue(place, out var inZone)) return null;
            cells = [.. cells.Where(c => inZone.Contains(c.C))];
            if (cells.Length == 0 && !whole) return null;
        }

        return HeatFrame.Of(Area, Slot, SlotMs, whole || _full[(int)audience], cells);
    }

    /// <summary><see cref="Frame"/> as the hub's <c>HeatFrame</c> call, serialised at most once per protocol; null where there is no frame.</summary>
    public SerializedHubMessage? Message(Audience audience, string? place, bool whole) => _messages.GetOrAdd((audience, place ?? "", whole), _make).Value;
}
