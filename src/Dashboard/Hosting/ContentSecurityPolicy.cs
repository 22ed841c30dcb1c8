using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// The page's Content-Security-Policy: scripts only from this host's own files (no inline script, no eval), so text
/// that slipped into the page as markup still could not run; connections to this host and its hub, and to the
/// origins of a configured base-map style or tile URL; the page cannot be framed.
/// </summary>
internal static class ContentSecurityPolicy
{
    /// <summary>The policy for the given map settings.</summary>
    public static string For(MapOptions map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var outside = string.Join(' ', new[] { map.StyleUrl, map.TileUrl }
            .Select(u => Uri.TryCreate(u?.Replace("{z}", "0", StringComparison.Ordinal).Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null)
            .Where(o => o is not null).Distinct(StringComparer.Ordinal));
        var extra = outside.Length > 0 ? " " + outside : "";
        // Inline style attributes stay allowed: the level colours and gauges are set that way, and styles run no code.
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:" + extra
            + "; connect-src 'self' ws: wss:" + extra + "; worker-src 'self' blob:; font-src 'self' data:" + extra
            + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>Sends the policy (and no-sniff, no framing) with every answer.</summary>
    public static WebApplication UseContentSecurityPolicy(this WebApplication app)
    {
        var policy = For(app.Services.GetRequiredService<IOptions<MapOptions>>().Value);
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        return app;
    }
}
