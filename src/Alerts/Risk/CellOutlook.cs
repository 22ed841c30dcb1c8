namespace CrowdWatch.Alerts.Risk;

/// <summary>One cell now and at its expected peak: what risk points are made of.</summary>
/// <param name="Cell">The cell's id.</param>
/// <param name="Row">Its grid row.</param>
/// <param name="Col">Its grid column.</param>
/// <param name="WalkableM2">Its walkable area, m².</param>
/// <param name="Density">Its density now, persons/m².</param>
/// <param name="PeakDensity">Its expected peak density within the horizon (at least the density now), persons/m².</param>
/// <param name="PeakAtMs">When, Unix ms.</param>
/// <param name="PeakLow">Lower end of the interval around the peak, persons/m².</param>
/// <param name="PeakHigh">Upper end, persons/m².</param>
public readonly record struct CellOutlook(int Cell, int Row, int Col, double WalkableM2, double Density, double PeakDensity, long PeakAtMs, double PeakLow, double PeakHigh);
