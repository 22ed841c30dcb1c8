using CrowdWatch.Dashboard.Storage;

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
        var keys = (IApiKeys)await Stores.OpenAsync(new StoreOptions { DataDirectory = d.File_("store") }, null);
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
