using Microsoft.AspNetCore.Http.HttpResults;

namespace CrowdWatch.Dashboard.Api;

/// <summary>The one answer every endpoint gives for an area name the host does not serve.</summary>
internal static class AreaProblems
{
    /// <summary>404 ProblemDetails naming the area that was asked for.</summary>
    public static ProblemHttpResult Unknown(string name) =>
        TypedResults.Problem($"No area named '{name}'.", title: "Unknown area", statusCode: StatusCodes.Status404NotFound);
}
