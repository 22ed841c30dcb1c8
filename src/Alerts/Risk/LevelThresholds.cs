using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Alerts.Risk;

/// <summary>
/// Where each warning level begins: a density in persons per walkable m², or a share of the place's capacity,
/// whichever is reached first. Defaults follow crowd-safety practice (see README, Risk levels): Blue 1.5/m² or 70%,
/// Yellow 2.0 or 85%, Orange 3.0 or 95%, Red 4.0 or 100%.
/// </summary>
/// <param name="Blue">Density where Blue begins.</param>
/// <param name="Yellow">Density where Yellow begins.</param>
/// <param name="Orange">Density where Orange begins.</param>
/// <param name="Red">Density where Red begins.</param>
/// <param name="BlueUse">Capacity use (0..1) where Blue begins.</param>
/// <param name="YellowUse">Capacity use where Yellow begins.</param>
/// <param name="OrangeUse">Capacity use where Orange begins.</param>
/// <param name="RedUse">Capacity use where Red begins.</param>
public sealed record LevelThresholds(double Blue, double Yellow, double Orange, double Red,
    double BlueUse = 0.70, double YellowUse = 0.85, double OrangeUse = 0.95, double RedUse = 1.00)
{
    /// <summary>The defaults: 1.5, 2.0, 3.0, 4.0 persons/m²; 70, 85, 95, 100% of capacity.</summary>
    public static LevelThresholds Default { get; } = new(1.5, 2.0, 3.0, 4.0);

    /// <summary>The densities where Blue, Yellow, Orange and Red begin, in that order.</summary>
    public double[] Densities => [Blue, Yellow, Orange, Red];

    /// <summary>
    /// A zone's thresholds: its own densities and capacity shares where it has them, <paramref name="defaults"/> (or
    /// <see cref="Default"/>) elsewhere.
    /// </summary>
    public static LevelThresholds For(ZoneThresholds? own, LevelThresholds? defaults = null)
    {
        var d = defaults ?? Default;
        return own is null ? d : d with
        {
            Blue = own.Blue ?? d.Blue, Yellow = own.Yellow ?? d.Yellow, Orange = own.Orange ?? d.Orange, Red = own.Red ?? d.Red,
            BlueUse = own.BlueUse ?? d.BlueUse, YellowUse = own.YellowUse ?? d.YellowUse, OrangeUse = own.OrangeUse ?? d.OrangeUse, RedUse = own.RedUse ?? d.RedUse,
        };
    }

    /// <summary>
    /// The people at which each warning level begins in zone <paramref name="zone"/> of <paramref name="area"/>: by its
    /// own thresholds, its walkable m² and its capacity.
    /// </summary>
    public static double[] ZoneCounts(Area area, int zone)
    {
        ArgumentNullException.ThrowIfNull(area);
        var z = area.Zones.Zones[zone];
        return For(z.Thresholds).CountsAt(area.Zones.ZoneWalkableM2(zone, area.WalkableM2), z.Capacity);
    }

    /// <summary>
    /// The people at which each warning level begins in a place of <paramref name="walkableM2"/> and
    /// <paramref name="capacity"/> (whichever is reached first), Blue to Red: what the forecasts' exceedance
    /// probabilities are for. None when the place has neither.
    /// </summary>
    public double[] CountsAt(double walkableM2, double? capacity) =>
        walkableM2 > 0 || capacity is > 0 ? [.. RiskLevels.Warning.Select(l => PeopleAt(l, walkableM2, capacity))] : [];

    /// <summary>The density where <paramref name="level"/> begins (infinity for None's end, 0 for None).</summary>
    public double DensityOf(RiskLevel level) => level switch
    {
        RiskLevel.Blue => Blue,
        RiskLevel.Yellow => Yellow,
        RiskLevel.Orange => Orange,
        RiskLevel.Red => Red,
        _ => 0,
    };

    /// <summary>The capacity use where <paramref name="level"/> begins.</summary>
    public double UseOf(RiskLevel level) => level switch
    {
        RiskLevel.Blue => BlueUse,
        RiskLevel.Yellow => YellowUse,
        RiskLevel.Orange => OrangeUse,
        RiskLevel.Red => RedUse,
        _ => 0,
    };

    /// <summary>
    /// The level of a density and, where the place has a capacity, its use; <paramref name="relief"/> (0..1) lowers
    /// every threshold by that share, which is how hysteresis asks "still above the level less a margin?".
    /// </summary>
    public RiskLevel LevelOf(double density, double? capacityUse = null, double relief = 0)
    {
        var k = 1 - relief;
        var use = capacityUse ?? double.NaN;
        // NaN compares false: a place with no capacity is judged on density alone.
        if (density >= Red * k || use >= RedUse * k) return RiskLevel.Red;
        if (density >= Orange * k || use >= OrangeUse * k) return RiskLevel.Orange;
        if (density >= Yellow * k || use >= YellowUse * k) return RiskLevel.Yellow;
        if (density >= Blue * k || use >= BlueUse * k) return RiskLevel.Blue;
        return RiskLevel.None;
    }

    /// <summary>
    /// The people at which <paramref name="level"/> begins in a place of <paramref name="walkableM2"/> with
    /// <paramref name="capacity"/>: the fewer of the density's and the capacity's counts.
    /// </summary>
    public double PeopleAt(RiskLevel level, double walkableM2, double? capacity)
    {
        var byDensity = walkableM2 > 0 ? DensityOf(level) * walkableM2 : double.PositiveInfinity;
        var byUse = capacity is > 0 ? UseOf(level) * capacity.Value : double.PositiveInfinity;
        return Math.Min(byDensity, byUse);
    }

    /// <summary>Whether the thresholds are positive and rise from Blue to Red; otherwise why not.</summary>
    public bool IsValid(out string? reason)
    {
        reason = null;
        double[] d = [Blue, Yellow, Orange, Red];
        double[] u = [BlueUse, YellowUse, OrangeUse, RedUse];
        for (var i = 0; i < 4; i++)
        {
            if (!(d[i] > 0 && double.IsFinite(d[i]))) { reason = $"{RiskLevels.Warning[i].Colour()}: density must be a positive number of persons/m², got {d[i]}"; return false; }
            if (!(u[i] > 0 && double.IsFinite(u[i]))) { reason = $"{RiskLevels.Warning[i].Colour()}: capacity use must be a positive share, got {u[i]}"; return false; }
            if (i > 0 && (d[i] <= d[i - 1] || u[i] <= u[i - 1])) { reason = $"{RiskLevels.Warning[i].Colour()} must begin above {RiskLevels.Warning[i - 1].Colour()}"; return false; }
        }

        return true;
    }
}
