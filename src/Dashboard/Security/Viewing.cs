using System.Security.Claims;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Security;

/// <summary>How much of a count a caller may see: viewers get the area's k threshold, operators and admins exact counts.</summary>
public static class Viewing
{
    /// <summary>Whether <paramref name="user"/> may see counts under the area's k.</summary>
    public static bool SeesExactCounts(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);
    }

    /// <summary>
    /// The threshold under which <paramref name="user"/> sees only <c>LOW_DENSITY</c>: the area's k for a viewer; for an
    /// operator one person, so that only empty cells go without a number.
    /// </summary>
    public static KThreshold KFor(ClaimsPrincipal user, Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return SeesExactCounts(user) ? new KThreshold(1) : area.K;
    }
}
