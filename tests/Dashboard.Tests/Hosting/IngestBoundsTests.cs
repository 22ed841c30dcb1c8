using System.Globalization;
using System.Net;
using System.Text.Json;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Dashboard.Tests.Hosting;

/// <summary>Records and queries outside what the host can serve are refused, and the feed and the readers go on.</summary>
public class IngestBoundsTests
{
    private const long SlotMs = 900_000;

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Ping(long ms, string device) =>
        $$"""{"timestamp":"{{Iso(ms)}}","device_id":"{{device}}","lat":29.5630,"lon":106.5790}""" + "\n";

    [Fact]
    public async Task A_ping_dated_2099_is_refused_as_future_and_current_pings_posted_after_it_are_all_taken()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false");
        var ingest = await host.Services.GetRequiredService<IApiKeys>().IssueAsync("feed", "ingest");
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (2 * SlotMs);

        var first = await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/pings", Ping(s0 + 60_000, "a") + Ping(Instant("2099-01-01T00:00:00+08:00"), "x"), "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var summary = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
        {
            var r = summary.RootElement;
            Assert.Equal((1L, 1L), (r.GetProperty("accepted").GetInt64(), r.GetProperty("rejected").GetInt64()));
            Assert.Equal(1, r.GetProperty("rejectedByReason").GetProperty("future").GetInt64());
            Assert.Equal((2, "timestamp"), (r.GetProperty("problems")[0].GetProperty("line").GetInt32(), r.GetProperty("problems")[0].GetProperty("field").GetString()));
        }

        var searches = await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/searches",
            $"timestamp,query,lat,lon\n2099-01-01T00:00:00+08:00,q,29.5630,106.5790\n{Iso(s0 + 120_000)},q,29.5630,106.5790\n", "text/csv");
        using (var summary = JsonDocument.Parse(await searches.Content.ReadAsStringAsync()))
            Assert.Equal(1, summary.RootElement.GetProperty("rejectedByReason").GetProperty("future").GetInt64());

        // Before the bound, the 2099 ping moved the binner there and each of these was refused as late.
        var later = await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/pings",
            Ping(s0 + 120_000, "b") + Ping(s0 + SlotMs + 60_000, "c") + Ping(s0 + (2 * SlotMs) + 200_000, "d"), "application/x-ndjson");
        using (var summary = JsonDocument.Parse(await later.Content.ReadAsStringAsync()))
            Assert.Equal((3L, 0L), (summary.RootElement.GetProperty("accepted").GetInt64(), summary.RootElement.GetProperty("rejected").GetInt64()));
    }

    private static long Instant(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public async Task Counts_that_would_sum_past_any_number_and_slots_in_year_9999_are_refused_and_every_reader_still_answers()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false");
        var ingest = await host.Services.GetRequiredService<IApiKeys>().IssueAsync("counters", "ingest");
        const string body = """
            {"slotStart":"2026-10-01T20:00+08:00","cell":200,"channel":"people","value":1.7e308}
            {"slotStart":"2026-10-01T20:00+08:00","cell":200,"channel":"people","value":1.7e308}
            {"slotStart":"9999-12-31T23:00+00:00","cell":200,"channel":"people","value":3}
            {"slotStart":"0001-01-01T00:00-14:00","cell":200,"channel":"people","value":3}
            {"slotStart":"2026-10-01T20:00+08:00","cell":201,"channel":"people","value":40}
            """;
        var response = await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/counts", body, "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
            Assert.Equal([(1, "value"), (2, "value"), (3, "slotStart"), (4, "slotStart")],
                summary.RootElement.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("field").GetString()!)));

        foreach (var path in new[] { "counts/cells?slot=2026-10-01T20:00%2B08:00", "heatmap?slot=2026-10-01T20:00%2B08:00", "calendar?from=2026-10-01&to=2026-10-02" })
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/areas/hongyadong/{path}")).StatusCode);
        foreach (var path in new[] { "heatmap?slot=9999-12-31T23:00%2B00:00", "counts/cells?slot=0001-01-01T00:00-14:00", "calendar?from=9999-12-30&to=9999-12-31" })
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/areas/hongyadong/{path}")).StatusCode);
    }
}
