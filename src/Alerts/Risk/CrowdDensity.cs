namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// What a crowd can physically reach. Standing people packed shoulder to shoulder take about 0.125 m² each
/// (Fruin's body ellipse), so no real crowd holds more than about 8 persons per m²; the worst crushes on record were
/// estimated at 8–10. An estimate above that says more about the data (a walkable area drawn too small, a panel factor
/// off, a feed counting twice) than about the crowd: it is capped and flagged so that nobody reads it as a count.
/// </summary>
public static class CrowdDensity
{
    /// <summary>The highest density shown or judged, persons per m².</summary>
    public const double PhysicalMaximum = 8.0;

    /// <summary><paramref name="density"/> capped at <see cref="PhysicalMaximum"/>; NaN stays NaN.</summary>
    public static double Capped(double density) => density > PhysicalMaximum ? PhysicalMaximum : density;

    /// <summary>Whether <paramref name="density"/> is more than a crowd can hold (a data problem).</summary>
    public static bool Exceeds(double density) => density > PhysicalMaximum;
}
