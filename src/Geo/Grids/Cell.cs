namespace CrowdWatch.Geo.Grids;

/// <summary>
/// One grid cell. Rows count northwards from the grid's south edge, columns eastwards from its west edge;
/// <see cref="Id"/> = row × columns + col is stable for a given <see cref="GridSpec"/>.
/// </summary>
public readonly record struct Cell(int Id, int Row, int Col);
