using System.Net;
using System.Text;
using System.Text.Json;

namespace CrowdWatch.Dashboard.Tests.Api;

/// <summary>Admins' edits of recipients and zones are validated whole before anything is kept, and secrets stay secret.</summary>
public sealed class AdminEditsTests : IAsyncLifetime
{
    private static readonly string Z = Uri.EscapeDataString("洪崖洞 Hongyadong");
    private ApiFactory _api = null!;

    public async Task InitializeAsync() => _api = await new ApiFactory().StartAsync();

    public Task DisposeAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("""[{"channel":"webhook","address":"http://127.0.0.1:9/x","places":null}]""", "recipients:0:Places")]
    [InlineData("""[{"channel":"webhook","address":"http://127.0.0.1:9/x","places":["zone:a",null]}]""", "recipients:0:Places")]
    [InlineData("""[{"channel":"webhook","address":null}]""", "recipients:0:Address")]
    [InlineData("""[{"channel":"webhook","address":"http://127.0.0.1:9/x","from":null}]""", "recipients:0:From")]
    [InlineData("""[{"channel":"sms","address":"call me maybe"}]""", "recipients:0:Address")]
    [InlineData("""[{"channel":"sms","address":"+86 138"}]""", "recipients:0:Address")]
    [InlineData("""[{"channel":"webhook","address":"http://127.0.0.1:9/x","stage":1000}]""", "recipients:0:Stage")]
    public async Task A_bad_recipient_is_refused_naming_its_field_and_nothing_is_written(string body, string field)
    {
        using var admin = _api.ClientAs(Security.Roles.Admin);
        var response = await admin.PutAsync("/api/alerts/recipients", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(_api.Deployment.File_("recipients.json")));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/alerts/recipients")).StatusCode);
    }

    [Fact]
    public async Task A_webhook_secret_is_never_shown_back_is_kept_across_an_edit_without_it_and_the_file_is_the_owners_alone()
    {
        using var admin = _api.ClientAs(Security.Roles.Admin);
        var put = await admin.PutAsync("/api/alerts/recipients", Json("""[{"channel":"webhook","address":"http://127.0.0.1:9/hook","secret":"s3cret-value-123"},{"channel":"sms","address":"+8613800138000"}]"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain("s3cret", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var listed = await admin.GetStringAsync("/api/alerts/recipients");
        Assert.DoesNotContain("s3cret", listed, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(listed))
            Assert.True(doc.RootElement[0].GetProperty("hasSecret").GetBoolean());

        // An edit sent back as it was shown (no secret) keeps the secret.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/alerts/recipients", Json("""[{"channel":"webhook","address":"http://127.0.0.1:9/hook","from":"orange"}]"""))).StatusCode);
        var book = _api.Services.GetRequiredService<CrowdWatch.Dashboard.Alerting.RecipientBook>();
        Assert.Equal("s3cret-value-123", book.SecretFor("http://127.0.0.1:9/hook"));
        var path = _api.Deployment.File_("recipients.json");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_host_starts_with_a_bad_recipients_file_and_says_what_it_ignored()
    {
        using var d = new Cli.TestDeployment();
        await File.WriteAllTextAsync(d.File_("recipients.json"), """[{"channel":"webhook","address":"http://127.0.0.1:9/x","places":null}]""");
        await using var host = await Hosting.RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false");
        var book = host.Services.GetRequiredService<CrowdWatch.Dashboard.Alerting.RecipientBook>();
        Assert.Contains("Places", book.Ignored, StringComparison.Ordinal);
        Assert.Empty(book.Current);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/alive")).StatusCode);
    }

    [Theory]
    [InlineData("""{"thresholds":{"blue":1e-300}}""", "blue")]
    [InlineData("""{"thresholds":{"red":1e308}}""", "red")]
    [InlineData("""{"thresholds":{"redUse":1000}}""", "redUse")]
    [InlineData("""{"capacity":2147483647}""", "capacity")]
    public async Task Thresholds_and_capacities_no_crowd_can_reach_are_refused(string body, string field)
    {
        using var admin = _api.ClientAs(Security.Roles.Admin);
        var response = await admin.PutAsync($"/api/areas/hongyadong/zones/{Z}", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thresholds_edit_changes_the_levels_it_names_and_keeps_the_rest()
    {
        using var admin = _api.ClientAs(Security.Roles.Admin);
        async Task<double[]> Levels(string body)
        {
            var response = await admin.PutAsync($"/api/areas/hongyadong/zones/{Z}", Json(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. view.RootElement.GetProperty("levelDensities").EnumerateArray().Select(e => e.GetDouble())];
        }

        var first = await Levels("""{"thresholds":{"orange":3.5,"red":4.5}}""");
        var second = await Levels("""{"thresholds":{"red":5.0}}""");
        Assert.Equal((3.5, 4.5), (first[2], first[3]));
        Assert.Equal((3.5, 5.0), (second[2], second[3]));
    }
}
