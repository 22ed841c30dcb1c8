namespace CrowdWatch.Geo.Zones;

/// <summary>
/// A zone's own density thresholds in persons per walkable m² for the risk levels, overriding the deployment's
/// defaults; a null level uses the default. Levels must rise: blue &lt; yellow &lt; orange &lt; red.
/// </summary>
public sealed record ZoneThresholds(double? Blue, double? Yellow, double? Orange, double? Red)
{
    /// <summary>Whether the given levels are positive and rise in order.</summary>
    public bool IsValid(out string? reason)
    {
        reason = null;
        double? previous = null;
        foreach (var (name, value) in new[] { ("blue", Blue), ("yellow", Yellow), ("orange", Orange), ("red", Red) })
        {
            if (value is not { } v) continue;
            if (!(v > 0 && double.IsFinite(v))) { reason = $"threshold '{name}' must be a positive number of persons/m², got {v}"; return false; }
            if (previous is { } p && v <= p) { reason = $"threshold '{name}' ({v}) must be above the level before it ({p})"; return false; }
            previous = v;
        }

        return true;
    }
}
