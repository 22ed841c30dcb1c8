using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// A request the endpoints could not bind (a query value of the wrong type, a missing parameter, a body that is not
/// the JSON expected) answers 400 with problem details saying which parameter and what was wrong, never a 500.
/// </summary>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad) return false;
        // The binder's message names the parameter ("Failed to bind parameter \"double lon\" from \"east\"."); a body's
        // JSON error, in the inner exception, names the path and position.
        var detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = detail },
        }).ConfigureAwait(false);
    }
}
