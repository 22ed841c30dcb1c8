using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Dashboard.Tests.Hosting;

public class IngestApiTests
{
    private static async Task<HttpResponseMessage> Post(RunningHost host, string? key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/hongyadong/ingest/counts") { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await host.Http.SendAsync(request);
    }

    [Fact]
    public async Task Counts_posted_by_an_ingest_key_are_stored_per_slot_and_bad_lines_are_named_while_the_rest_goes_in()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false");
        var keys = host.Services.GetRequiredService<IApiKeys>();
        var ingest = await keys.IssueAsync("gate-counters", "ingest");
        const string body = """
            {"slotStart":"2026-10-01T20:00:00+08:00","cell":200,"channel":"people","value":130}
            {"slotStart":"2026-10-01T20:07:00+08:00","cell":201,"channel":"people","value":40}
            not json
            {"slotStart":"2026-10-01T20:15:00+08:00","cell":200,"channel":"people","value":90}
            {"slotStart":"2026-10-01T20:15:00+08:00","cell":99999,"channel":"people","value":5}
            {"slotStart":"2026-10-01T20:15:00+08:00","cell":201,"channel":"people","value":-3}
            {"slotStart":"yesterday","cell":201,"channel":"people","value":3}
            """;
        var response = await Post(host, ingest, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            var r = summary.RootElement;
            Assert.Equal((3, 4, 2), (r.GetProperty("accepted").GetInt32(), r.GetProperty("rejected").GetInt32(), r.GetProperty("slots").GetInt32()));
            Assert.Equal([(3, "(line)"), (5, "cell"), (6, "value"), (7, "slotStart")],
                r.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString()!)));
        }

        // Both rows of the 20:00 slot (20:07 lies in it) are there; the 20:15 slot holds its one good row.
        using (var cells = JsonDocument.Parse(await host.Http.GetStringAsync("/api/areas/hongyadong/counts/cells?slot=2026-10-01T20:00:00%2B08:00")))
        {
            var byCell = cells.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetInt32());
            Assert.Equal(130, byCell[200].GetProperty("people").GetDouble());
            Assert.Equal(40, byCell[201].GetProperty("people").GetDouble());
        }

        using (var later = JsonDocument.Parse(await host.Http.GetStringAsync("/api/areas/hongyadong/counts/cells?slot=2026-10-01T20:15:00%2B08:00")))
            Assert.Equal(90, Assert.Single(later.RootElement.EnumerateArray()).GetProperty("people").GetDouble());

        // Posting the slot again replaces this key's earlier post of it.
        Assert.Equal(HttpStatusCode.OK, (await Post(host, ingest, """{"slotStart":"2026-10-01T20:15:00+08:00","cell":200,"channel":"people","value":70}""")).StatusCode);
        using (var again = JsonDocument.Parse(await host.Http.GetStringAsync("/api/areas/hongyadong/counts/cells?slot=2026-10-01T20:15:00%2B08:00")))
            Assert.Equal(70, Assert.Single(again.RootElement.EnumerateArray()).GetProperty("people").GetDouble());

        var nothing = await Post(host, ingest, "not json\n{\"cell\":1}");
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("\"problems\"", await nothing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(host, null, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(host, await keys.IssueAsync("wall", "viewer"), body)).StatusCode);
    }

    [Fact]
    public async Task A_surge_posted_to_the_ingest_api_raises_a_Red_alert()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false",
            "--Alerts:PollMilliseconds", "50");
        var ingest = await host.Services.GetRequiredService<IApiKeys>().IssueAsync("gate-counters", "ingest");
        // Every cell crowded in the last complete slot (the zone's share of them is far above its 20 000 capacity), and
        // the current slot begun.
        const long slot = 900_000;
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slot * slot) - slot;
        var lines = new StringBuilder();
        foreach (var (at, people) in new[] { (s0, 10_000), (s0 + slot, 10_000) })
            for (var cell = 0; cell < 441; cell++)
                lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"slotStart":"{{DateTimeOffset.FromUnixTimeMilliseconds(at):yyyy-MM-dd'T'HH:mm:sszzz}}","cell":{{cell}},"channel":"people","value":{{people}}}""").Append('\n');
        Assert.Equal(HttpStatusCode.OK, (await Post(host, ingest, lines.ToString())).StatusCode);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonElement[] open = [];
        while (open.Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
            open = [.. JsonDocument.Parse(await host.Http.GetStringAsync("/api/alerts")).RootElement.EnumerateArray()];
        }

        var alert = Assert.Single(open);
        Assert.Equal(("red", "Observed", "zone:洪崖洞 Hongyadong"), (alert.GetProperty("level").GetString(), alert.GetProperty("trigger").GetString(), alert.GetProperty("place").GetString()));
    }
}
