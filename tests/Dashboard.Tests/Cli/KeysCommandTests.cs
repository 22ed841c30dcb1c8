using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class KeysCommandTests
{
    [Fact]
    public async Task A_key_issued_on_the_command_line_verifies_with_its_role_until_revoked()
    {
        using var d = new TestDeployment();
        var environment = new Dictionary<string, string> { ["Store__DataDirectory"] = d.File_("store") };
        var (code, output, error) = CliRun.Run("", environment, "keys", "issue", "police-desk", "--role", "operator");
        Assert.True(code == 0, error);
        var secret = output.Trim();
        Assert.Contains("not shown again", error, StringComparison.Ordinal);
        var keys = (await Stores.OpenAsync(new StoreOptions { DataDirectory = d.File_("store") }, null)).Keys;
        Assert.Equal(("police-desk", "operator"), ((await keys.VerifyAsync(secret))!.Name, (await keys.VerifyAsync(secret))!.Role));

        Assert.Equal(0, CliRun.Run("", environment, "keys", "revoke", "police-desk").Code);
        Assert.Null(await keys.VerifyAsync(secret));
        var (missing, _, why) = CliRun.Run("", environment, "keys", "revoke", "police-desk-2");
        Assert.Equal(2, missing);
        Assert.Contains("no key named 'police-desk-2'", why, StringComparison.Ordinal);
        var (badRole, _, roles) = CliRun.Run("", environment, "keys", "issue", "x", "--role", "god");
        Assert.Equal(2, badRole);
        Assert.Contains("viewer, operator, admin, ingest", roles, StringComparison.Ordinal);
    }
}

public class RunningHostStoreTests
{
    [Fact]
    public async Task A_key_issued_without_naming_a_store_works_on_the_running_host_and_says_which_store_it_went_to()
    {
        using var d = new TestDeployment();
        var hostFile = d.File_("host.json");
        var environment = new Dictionary<string, string> { ["CROWDWATCH_HOST_FILE"] = hostFile };
        await using (var host = await Hosting.RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("host-store"),
            "--CROWDWATCH_HOST_FILE", hostFile, "--Forecast:Enabled", "false", "--Api:AnonymousViewers", "false"))
        {
            var (code, output, error) = CliRun.Run("", environment, "keys", "issue", "duty-desk", "--role", "operator");
            Assert.True(code == 0, error);
            Assert.Contains(Path.GetFullPath(d.File_("host-store")), error, StringComparison.Ordinal);
            Assert.Contains("the running host's store", error, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/alerts");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", output.Trim());
            Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Http.SendAsync(request)).StatusCode);
        }

        // The host gone, its file goes with it: verbs fall back to the store they are given or the default one.
        Assert.False(File.Exists(hostFile));
    }
}
