using System.Security.Claims;
using System.Text.Encodings.Web;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Security;

/// <summary>
/// API keys sent as <c>Authorization: Bearer {secret}</c>: the store checks the secret against the hashes it keeps and
/// gives the key's name and role. No header: anonymous (endpoints that need a role answer 401); a wrong key: 401. On the
/// live hub the key may come as the <c>access_token</c> query parameter instead, as browsers send it on a WebSocket
/// (they cannot set headers there); nowhere else, so that keys stay out of other URLs and their logs.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string secret;
        if (string.IsNullOrEmpty(header))
        {
            if (QueryKey(Request) is not { } query) return AuthenticateResult.NoResult();
            secret = query;
        }
        else if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("expected 'Authorization: Bearer {api key}'");
        else secret = header["Bearer ".Length..].Trim();

        var key = await keys.VerifyAsync(secret, Context.RequestAborted).ConfigureAwait(false);
        if (key is null) return AuthenticateResult.Fail("unknown or revoked API key");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The key a live-hub request carries as <c>access_token</c> (null elsewhere, or without one).</summary>
    public static string? QueryKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments(Hosting.EndpointHosting.LiveHubPath, StringComparison.OrdinalIgnoreCase)
            && request.Query["access_token"].ToString() is { Length: > 0 } key ? key : null;
    }
}
