using System.Threading.RateLimiting;
using CrowdWatch.Dashboard.Hosting;

namespace CrowdWatch.Dashboard.Security;

/// <summary>Who may do what: API keys, role policies, request limits and each caller's rate.</summary>
internal static class SecurityHosting
{
    /// <summary>Registers key authentication, the role policies, the body limit and the per-caller rate limit.</summary>
    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        var limits = builder.Configuration.GetSection(ApiLimits.Section).Get<ApiLimits>() ?? new ApiLimits();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanView, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Viewer) || c.User.IsInRole(Roles.Operator) || c.User.IsInRole(Roles.Admin)
                || (limits.AnonymousViewers && c.User.Identity?.IsAuthenticated != true && c.Resource is HttpContext { Request.Headers.Authorization.Count: 0 } http && ApiKeyAuthentication.QueryKey(http.Request) is null)))
            .AddPolicy(Roles.CanOperate, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.CanAdminister, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.CanIngest, p => p.RequireRole(Roles.Ingest, Roles.Admin));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxRequestBytes);
        // The request lines name the whole URL, and a browser's key comes in the live hub's (access_token): no key in the log.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // Every caller gets its own window: an API key by its name, anyone else by address. The health probes are exempt.
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // CAMARA clients expect their error body (and their correlator) on a 429 too.
            o.OnRejected = async (context, cancellationToken) =>
            {
                var camara = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Camara.CamaraOptions>>().Value;
                var path = context.HttpContext.Request.Path;
                if (!path.StartsWithSegments(camara.DensityBase, StringComparison.Ordinal) && !path.StartsWithSegments(camara.DeviceCountBase, StringComparison.Ordinal)) return;
                Camara.Correlator.Echo(context.HttpContext);
                await context.HttpContext.Response.WriteAsJsonAsync(new Camara.CamaraError(429, "TOO_MANY_REQUESTS", "Either out of resource quota or reaching rate limiting."), cancellationToken);
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || http.Request.Path.StartsWithSegments("/alive", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetNoLimiter("probe")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }
}
