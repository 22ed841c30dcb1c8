using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrowdWatch.Dashboard.Tests.Api;

/// <summary>
/// The host in memory (WebApplicationFactory over the real Program) on the test deployment with a store of its own,
/// anonymous reading off unless asked for, and one API key per role.
/// </summary>
internal sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly TestDeployment _deployment = new();
    private readonly bool _anonymousViewers;

    public ApiFactory(bool anonymousViewers = false) => _anonymousViewers = anonymousViewers;

    public TestDeployment Deployment => _deployment;

    /// <summary>A key per role, issued once.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; private set; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CrowdWatch:Deployment", _deployment.DeploymentPath);
        builder.UseSetting("Store:DataDirectory", _deployment.File_("store"));
        builder.UseSetting("Forecast:Enabled", "false");
        builder.UseSetting("Replay:Enabled", "false");
        builder.UseSetting("Api:AnonymousViewers", _anonymousViewers ? "true" : "false");
    }

    /// <summary>Starts the host and issues the keys.</summary>
    public async Task<ApiFactory> StartAsync()
    {
        _ = Server;
        var keys = Services.GetRequiredService<IApiKeys>();
        var issued = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in Security.Roles.All) issued[role] = await keys.IssueAsync($"test-{role}", role);
        Keys = issued;
        return this;
    }

    /// <summary>A client sending <paramref name="role"/>'s key (none for null).</summary>
    public HttpClient ClientAs(string? role)
    {
        var client = CreateClient();
        if (role is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Keys[role]);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                _deployment.Dispose();
            }
            catch (IOException)
            {
                // The store's file may still be closing; the temp folder is cleaned later.
            }
        }
    }
}
