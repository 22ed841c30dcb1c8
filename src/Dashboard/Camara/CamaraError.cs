namespace CrowdWatch.Dashboard.Camara;

/// <summary>The CAMARA error body (<c>ErrorInfo</c>): HTTP status, a code from the definitions, and a message.</summary>
public sealed record CamaraError(int Status, string Code, string Message)
{
    /// <summary>400 INVALID_ARGUMENT.</summary>
    public static CamaraError InvalidArgument(string message) => new(400, "INVALID_ARGUMENT", message);

    /// <summary>The error as a response (the correlator is echoed by <see cref="Correlator"/>).</summary>
    public IResult ToResult() => TypedResults.Json(this, statusCode: Status);
}
