using System.Text.RegularExpressions;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// The <c>x-correlator</c> header of the CAMARA APIs: a request's correlator is echoed on its response, whatever the
/// answer; one that does not match the common definition's pattern is refused with 400 INVALID_ARGUMENT.
/// </summary>
public static partial class Correlator
{
    /// <summary>The header's name.</summary>
    public const string Header = "x-correlator";

    /// <summary>An endpoint filter that checks and echoes the correlator.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (http.Request.Headers.TryGetValue(Header, out var values))
        {
            var value = values.ToString();
            if (values.Count != 1 || !Pattern().IsMatch(value))
                return CamaraError.InvalidArgument($"{Header}: expected up to 256 of A-Z a-z 0-9 - _ : ; . / < > {{ }}").ToResult();
            http.Response.Headers[Header] = value;
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Echoes the correlator on a response written outside the endpoint (the rate limiter's 429).</summary>
    public static void Echo(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Headers.TryGetValue(Header, out var v) && v.Count == 1 && Pattern().IsMatch(v.ToString())) http.Response.Headers[Header] = v.ToString();
    }

    [GeneratedRegex(@"^[a-zA-Z0-9\-_:;./<>{}]{0,256}$")]
    private static partial Regex Pattern();
}
