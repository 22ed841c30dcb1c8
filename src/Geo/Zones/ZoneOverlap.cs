namespace CrowdWatch.Geo.Zones;

/// <summary>How much of one cell a zone covers.</summary>
/// <param name="CellId">The cell.</param>
/// <param name="AreaM2">Area of the intersection of zone and cell, in the grid's projected m².</param>
/// <param name="CellFraction">That area as a fraction of the cell: the share of the cell's people counted in the zone.</param>
public readonly record struct ZoneOverlap(int CellId, double AreaM2, double CellFraction);
