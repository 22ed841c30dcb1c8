namespace CrowdWatch.Geo.Zones;

/// <summary>
/// A zone's own thresholds for the risk levels, overriding the deployment's defaults: densities in persons per
/// walkable m² and shares of its capacity (for example 0.95); a null level uses the default. Each kind must rise:
/// blue &lt; yellow &lt; orange &lt; red.
/// </summary>
public sealed record ZoneThresholds(double? Blue, double? Yellow, double? Orange, double? Red,
    double? BlueUse = null, double? YellowUse = null, double? OrangeUse = null, double? RedUse = null)
{
    /// <summary>Whether the given levels are positive and rise in order.</summary>
    public bool IsValid(out string? reason) =>
        Rising([("blue", Blue), ("yellow", Yellow), ("orange", Orange), ("red", Red)], "a positive number of persons/m²", out reason)
            && Rising([("blueUse", BlueUse), ("yellowUse", YellowUse), ("orangeUse", OrangeUse), ("redUse", RedUse)], "a positive share of capacity such as 0.95", out reason);

    private static bool Rising((string Name, double? Value)[] levels, string expected, out string? reason)
    {
        reason = null;
        double? previous = null;
        foreach (var (name, value) in levels)
        {
            if (value is not { } v) continue;
            if (!(v > 0 && double.IsFinite(v))) { reason = $"threshold '{name}' must be {expected}, got {v}"; return false; }
            if (previous is { } p && v <= p) { reason = $"threshold '{name}' ({v}) must be above the level before it ({p})"; return false; }
            previous = v;
        }

        return true;
    }
}
