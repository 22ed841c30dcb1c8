namespace CrowdWatch.Geo.Zones;

/// <summary>
/// A zone's own thresholds for the risk levels, overriding the deployment's defaults: densities in persons per
/// walkable m² and shares of its capacity (for example 0.95); a null level uses the default. Each kind must rise:
/// blue &lt; yellow &lt; orange &lt; red.
/// </summary>
public sealed record ZoneThresholds(double? Blue, double? Yellow, double? Orange, double? Red,
    double? BlueUse = null, double? YellowUse = null, double? OrangeUse = null, double? RedUse = null)
{
    /// <summary>The lowest density threshold taken, persons/m²: below it every street would be a warning.</summary>
    public const double MinDensity = 0.01;

    /// <summary>The highest density threshold taken, persons/m²: people cannot stand denser than about ten to the square metre.</summary>
    public const double MaxDensity = 12;

    /// <summary>The lowest share of capacity taken as a threshold.</summary>
    public const double MinUse = 0.01;

    /// <summary>The highest share of capacity taken as a threshold (five times the capacity).</summary>
    public const double MaxUse = 5;

    /// <summary>Whether the given levels lie in the ranges a crowd can reach and rise in order.</summary>
    public bool IsValid(out string? reason) =>
        Rising([("blue", Blue), ("yellow", Yellow), ("orange", Orange), ("red", Red)], MinDensity, MaxDensity, $"persons/m² from {MinDensity} to {MaxDensity}", out reason)
            && Rising([("blueUse", BlueUse), ("yellowUse", YellowUse), ("orangeUse", OrangeUse), ("redUse", RedUse)], MinUse, MaxUse, $"a share of capacity from {MinUse} to {MaxUse}, such as 0.95", out reason);

    /// <summary>These thresholds with each level <paramref name="edit"/> gives put in place of this one's; what it leaves out stays.</summary>
    public ZoneThresholds With(ZoneThresholds edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return new(edit.Blue ?? Blue, edit.Yellow ?? Yellow, edit.Orange ?? Orange, edit.Red ?? Red,
            edit.BlueUse ?? BlueUse, edit.YellowUse ?? YellowUse, edit.OrangeUse ?? OrangeUse, edit.RedUse ?? RedUse);
    }

    private static bool Rising((string Name, double? Value)[] levels, double min, double max, string expected, out string? reason)
    {
        reason = null;
        double? previous = null;
        foreach (var (name, value) in levels)
        {
            if (value is not { } v) continue;
            if (!(v >= min && v <= max)) { reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"threshold '{name}' must be {expected}, got {v}"); return false; }
            if (previous is { } p && v <= p) { reason = $"threshold '{name}' ({v}) must be above the level before it ({p})"; return false; }
            previous = v;
        }

        return true;
    }
}
