namespace CrowdWatch.Alerts.Scenarios;

/// <summary>How an event's arrivals spread over their window.</summary>
public enum ArrivalProfile
{
    /// <summary>Evenly.</summary>
    Uniform,

    /// <summary>Most come early: the share arrived grows as 1 − (1 − x)².</summary>
    Early,

    /// <summary>Most come just before the start: the share arrived grows as x².</summary>
    Late,
}

/// <summary>The cumulative share of each profile.</summary>
public static class ArrivalProfiles
{
    /// <summary>Share arrived at fraction <paramref name="x"/> of the window (clamped to 0..1).</summary>
    public static double Share(this ArrivalProfile profile, double x)
    {
        x = Math.Clamp(x, 0, 1);
        return profile switch
        {
            ArrivalProfile.Early => 1 - ((1 - x) * (1 - x)),
            ArrivalProfile.Late => x * x,
            _ => x,
        };
    }
}
