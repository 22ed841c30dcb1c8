namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// One slot of an area's heat map pushed over the live hub: only the cells that changed since the previous frame
/// (<see cref="Full"/> false), or every cell with anyone in it (true: the first frame, or one asked for after a
/// reconnect). Cell fields are one letter to keep frames of ten thousand cells small.
/// </summary>
public sealed record HeatFrame(string Area, string Slot, long SlotMs, bool Full, HeatCell[] Cells);

/// <summary>
/// A cell in a frame: <c>C</c> its id; <c>P</c> people and <c>D</c> persons per walkable m² (both null under the
/// area's k: low density; both 0 when the cell emptied); <c>L</c> its level, 0 (none) to 4 (Red).
/// </summary>
public readonly record struct HeatCell(int C, double? P, double? D, byte L);
