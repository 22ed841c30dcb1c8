using System.Security.Claims;
using System.Text.Encodings.Web;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Security;

/// <summary>
/// API keys sent as <c>Authorization: Bearer {secret}</c>: the store checks the secret against the hashes it keeps and
/// gives the key's name and role. No header: anonymous (endpoints that need a role answer 401); a wrong key: 401.
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
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("expected 'Authorization: Bearer {api key}'");
        var key = await keys.VerifyAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (key is null) return AuthenticateResult.Fail("unknown or revoked API key");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
