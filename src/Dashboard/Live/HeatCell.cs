namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// A cell as a viewer sees it in one slot: <c>C</c> its id; <c>P</c> people and <c>D</c> persons per walkable m² (both
/// null under the area's k: low density; both 0 when the cell emptied); <c>L</c> its level, 0 (none) to 4 (Red).
/// </summary>
public readonly record struct HeatCell(int C, double? P, double? D, byte L);
