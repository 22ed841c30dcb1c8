using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>
/// Where the four warning levels begin for a place, and the counts they mean for its walkable area and capacity:
/// what the forecasts' exceedance probabilities are for.
/// </summary>
internal static class DangerLevels
{
    /// <summary>Default densities: Blue 1.5, Yellow 2.0, Orange 3.0, Red 4.0 persons/m² (see README, Risk levels).</summary>
    public static double[] DefaultDensities => [.. RiskLevels.Warning.Select(LevelThresholds.Default.DensityOf)];

    /// <summary>A zone's thresholds: its own densities and capacity shares where it has them, the defaults elsewhere.</summary>
    public static LevelThresholds Thresholds(ZoneThresholds? own, LevelThresholds? defaults = null)
    {
        var d = defaults ?? LevelThresholds.Default;
        return own is null ? d : d with
        {
            Blue = own.Blue ?? d.Blue, Yellow = own.Yellow ?? d.Yellow, Orange = own.Orange ?? d.Orange, Red = own.Red ?? d.Red,
            BlueUse = own.BlueUse ?? d.BlueUse, YellowUse = own.YellowUse ?? d.YellowUse, OrangeUse = own.OrangeUse ?? d.OrangeUse, RedUse = own.RedUse ?? d.RedUse,
        };
    }

    /// <summary>
    /// The people at which each level begins for a place of <paramref name="walkableM2"/> and <paramref name="capacity"/>
    /// (whichever is reached first); none when the place has neither.
    /// </summary>
    public static double[] Counts(LevelThresholds thresholds, double walkableM2, double? capacity) =>
        walkableM2 > 0 || capacity is > 0 ? [.. RiskLevels.Warning.Select(l => thresholds.PeopleAt(l, walkableM2, capacity))] : [];
}
