using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage.Access;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Live;

public class LiveIngestTests
{
    private const long SlotMs = 900_000;

    [Fact]
    public async Task Pings_posted_live_are_binned_into_slots_pseudonymised_and_pushed_to_subscribers_as_changed_cells()
    {
        using var d = new TestDeployment();
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Ingest:LatenessMinutes", "2");
        var keys = host.Services.GetRequiredService<IApiKeys>();
        var ingest = await keys.IssueAsync("operator-feed", "ingest");
        var duty = await keys.IssueAsync("duty", "operator");
        await using var hub = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live").Build();
        var frames = new ConcurrentQueue<HeatFrame>();
        hub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => frames.Enqueue(f));
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "hongyadong", null);
        // A second client follows Hongyadong's zone only.
        await using var zoneHub = new HubConnectionBuilder().WithUrl($"{host.Address}/hubs/live").Build();
        var zoneFrames = new ConcurrentQueue<HeatFrame>();
        zoneHub.On<HeatFrame>(nameof(ILiveClient.HeatFrame), f => zoneFrames.Enqueue(f));
        await zoneHub.StartAsync();
        await zoneHub.InvokeAsync("Subscribe", "hongyadong", new[] { "zone:洪崖洞 Hongyadong" });

        // Slot s0: 15 devices near Hongyadong (some pinging twice), one bad line; then a ping 3 minutes into the slot
        // after next moves the binner past s0's end and lateness, which closes s0.
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (3 * SlotMs);
        var lines = SlotOfFifteenDevices(s0);
        var response = await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/pings", lines.ToString(), "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            var r = summary.RootElement;
            Assert.Equal(24, r.GetProperty("accepted").GetInt64());
            Assert.Equal(1, r.GetProperty("rejected").GetInt64());
            Assert.True(r.GetProperty("slotsStored").GetInt32() >= 1);
            var problem = r.GetProperty("problems")[0];
            Assert.Equal((24, "timestamp"), (problem.GetProperty("line").GetInt32(), problem.GetProperty("field").GetString()));
        }

        // The write is audited under the key that made it.
        var audit = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(0, long.MaxValue, "operator-feed");
        Assert.Contains(audit, e => e.Action == "ingest.pings" && e.Target == "area:hongyadong" && e.Detail!.StartsWith("24 records accepted, 1 rejected", StringComparison.Ordinal));

        // Distinct devices, not pings: 15 devices over the panel factor 0.3 is 50 people, in one cell.
        var slot = Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(s0).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        using (var client = new HttpClient { BaseAddress = new Uri(host.Address) })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", duty);
            using var cells = JsonDocument.Parse(await client.GetStringAsync($"/api/areas/hongyadong/counts/cells?slot={slot}"));
            var cell = Assert.Single(cells.RootElement.EnumerateArray());
            Assert.Equal(50, cell.GetProperty("people").GetDouble(), 6);
        }

        // Only aggregates are kept: no device id reaches the store.
        await NoDeviceIdIsStoredAsync(d.File_("store"));

        // The subscriber got the slot as a frame; a second slot with the crowd gone pushes only that cell, as emptied.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!frames.Any(f => f.SlotMs == s0) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        var first = frames.Last(f => f.SlotMs == s0);
        var crowdCell = Assert.Single(first.Rows(), c => c.People == 50);
        var counts = new StringBuilder();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(s0 + SlotMs).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        counts.Append(CultureInfo.InvariantCulture, $$"""{"slotStart":"{{at}}","cell":5,"channel":"people","value":40}""").Append('\n');
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(ingest, "/api/areas/hongyadong/ingest/counts", counts.ToString(), "application/x-ndjson")).StatusCode);
        waited.Restart();
        while (!frames.Any(f => f.SlotMs == s0 + SlotMs) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        var second = frames.Single(f => f.SlotMs == s0 + SlotMs);
        Assert.False(second.Full);
        Assert.Equal(new[] { (5, (int?)40), (crowdCell.Cell, 0) }.OrderBy(c => c.Item1), second.Rows().Select(c => (c.Cell, c.People)));
        // The zone's follower got the crowd's cell, which lies in the zone, and then its emptying, but never cell 5, outside it.
        waited.Restart();
        while (!zoneFrames.Any(f => f.SlotMs == s0 + SlotMs) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.Equal([crowdCell.Cell], zoneFrames.Single(f => f.SlotMs == s0).CellIds());
        Assert.Equal([(crowdCell.Cell, (int?)0)], zoneFrames.Single(f => f.SlotMs == s0 + SlotMs).Rows().Select(c => (c.Cell, c.People)));

        // A client that (re)connects asks for the whole newest frame.
        var whole = await hub.InvokeAsync<HeatFrame>("Frame", "hongyadong");
        Assert.True(whole.Full);
        Assert.Equal([5], whole.CellIds());
    }


    // Slot s0's pings: 15 devices near Hongyadong (some pinging twice), one bad line, and a ping 3 minutes into the
    // slot after next that moves the binner past s0's end and lateness.
    private static StringBuilder SlotOfFifteenDevices(long s0)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < 15; i++)
        {
            foreach (var minute in i % 2 == 0 ? new[] { 1, 7 } : [4])
                lines.Append(CultureInfo.InvariantCulture, $$"""{"timestamp":{{s0 + (minute * 60_000)}},"device_id":"phone-{{i:000}}","lat":29.5630,"lon":106.5790,"accuracy_m":12}""").Append('\n');
        }

        lines.Append("""{"timestamp":"soon","device_id":"phone-x","lat":29.5630,"lon":106.5790}""").Append('\n');
        lines.Append(CultureInfo.InvariantCulture, $$"""{"timestamp":{{s0 + (2 * SlotMs) + 180_000}},"device_id":"phone-late","lat":29.5630,"lon":106.5790,"accuracy_m":12}""").Append('\n');
        return lines;
    }

    private static async Task NoDeviceIdIsStoredAsync(string store)
    {
        foreach (var file in Directory.GetFiles(store))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            Assert.DoesNotContain("phone-0", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Files_dropped_in_the_watched_folder_are_ingested_and_moved_with_a_summary_and_a_quiet_feeds_slots_still_close()
    {
        using var d = new TestDeployment();
        var drop = d.File_("drop");
        Directory.CreateDirectory(drop);
        await using var host = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Ingest:DropFolder", drop, "--Ingest:LatenessMinutes", "2");
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (3 * SlotMs);
        var csv = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        for (var i = 0; i < 12; i++) csv.Append(CultureInfo.InvariantCulture, $"{s0 + 60_000 + i},dev-{i},29.5630,106.5790,10\n");
        csv.Append(CultureInfo.InvariantCulture, $"{s0 + 120_000},dev-x,north,106.5790,10\n");
        // Two devices in the next slot, which nothing later closes.
        csv.Append(CultureInfo.InvariantCulture, $"{s0 + SlotMs + 60_000},dev-a,29.5630,106.5790,10\n{s0 + SlotMs + 240_000},dev-b,29.5630,106.5790,10\n");
        // Written under a temporary name and renamed, as a feed should drop a file.
        await File.WriteAllTextAsync(Path.Combine(drop, "pings-001.csv.part"), csv.ToString());
        File.Move(Path.Combine(drop, "pings-001.csv.part"), Path.Combine(drop, "pings-001.csv"));

        var summaryPath = Path.Combine(drop, "done", "pings-001.csv.summary.json");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(summaryPath) && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        Assert.True(File.Exists(Path.Combine(drop, "done", "pings-001.csv")));
        Assert.False(File.Exists(Path.Combine(drop, "pings-001.csv")));
        using (var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath)))
        {
            var r = summary.RootElement;
            Assert.Equal((14L, 1L), (r.GetProperty("Accepted").GetInt64(), r.GetProperty("Rejected").GetInt64()));
            Assert.StartsWith("pings-001.csv:14: lat:", r.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        }

        var audit = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(0, long.MaxValue, "drop-folder");
        Assert.Contains(audit, e => e.Action == "ingest.pings" && e.Detail!.StartsWith("pings-001.csv: 14 records accepted", StringComparison.Ordinal));

        // The feed then goes quiet: the host's clock closes its last slot (what the idle check does after Ingest:IdleCloseMinutes).
        var store = host.Services.GetRequiredService<Geo.Storage.ICountStore>();
        Assert.Empty(await store.ReadAsync(new Geo.Storage.CountQuery("hongyadong", "devices", s0 + SlotMs, s0 + SlotMs + 1)));
        await host.Services.GetRequiredService<CrowdWatch.Dashboard.Ingest.LiveIngest>().For("hongyadong")!.AdvanceAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var closed = await store.ReadAsync(new Geo.Storage.CountQuery("hongyadong", "devices", s0 + SlotMs, s0 + SlotMs + 1));
        Assert.Equal(2, closed.Sum(r => r.Value));
        Assert.Equal(12, (await store.ReadAsync(new Geo.Storage.CountQuery("hongyadong", "devices", s0, s0 + 1))).Sum(r => r.Value));
    }
}
