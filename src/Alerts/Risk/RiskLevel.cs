namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// China's four-tier warning levels for crowd safety, lowest first: Blue (IV) &lt; Yellow (III) &lt; Orange (II) &lt; Red (I).
/// The numeric order is the order of danger, so levels compare and take maxima as numbers.
/// </summary>
public enum RiskLevel : byte
{
    /// <summary>Below every threshold.</summary>
    None = 0,

    /// <summary>Blue, level IV: crowded, watch.</summary>
    Blue = 1,

    /// <summary>Yellow, level III: dense, prepare measures.</summary>
    Yellow = 2,

    /// <summary>Orange, level II: very dense, restrict inflow.</summary>
    Orange = 3,

    /// <summary>Red, level I: dangerous, stop inflow and evacuate.</summary>
    Red = 4,
}
