namespace CrowdWatch.Geo.Grids;

/// <summary>Where a lon/lat falls on a grid: projected metres, row, column and cell id.</summary>
public readonly record struct CellLocation(double X, double Y, int Row, int Col, int CellId);
