using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>
/// The densities (persons per walkable m²) at which the four warning levels begin, Blue, Yellow, Orange and Red, and
/// the counts they mean for a place of a given walkable area: what the forecasts' exceedance probabilities are for.
/// </summary>
internal static class DangerLevels
{
    /// <summary>Default densities: Blue 1.5, Yellow 2.0, Orange 3.0, Red 4.0 persons/m² (see README, Risk levels).</summary>
    public static readonly double[] DefaultDensities = [1.5, 2.0, 3.0, 4.0];

    /// <summary>A zone's densities: its own thresholds where it has them, the defaults elsewhere.</summary>
    public static double[] Densities(ZoneThresholds? own) =>
        own is null ? DefaultDensities : [own.Blue ?? DefaultDensities[0], own.Yellow ?? DefaultDensities[1], own.Orange ?? DefaultDensities[2], own.Red ?? DefaultDensities[3]];

    /// <summary>The counts at which each level begins for a place of <paramref name="walkableM2"/> (none when it has no walkable area).</summary>
    public static double[] Counts(double[] densities, double walkableM2) =>
        walkableM2 > 0 ? [.. densities.Select(d => d * walkableM2)] : [];
}
