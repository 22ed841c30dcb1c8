using System.Globalization;
using System.Text;
using CrowdWatch.Dashboard.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class SendCommandTests
{
    private static readonly long At = DateTimeOffset.Parse("2026-10-01T20:07:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public async Task Send_posts_a_file_in_posts_of_the_size_asked_to_every_node_and_sums_what_they_accepted_and_rejected()
    {
        using var d = new TestDeployment();
        await using var first = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        await using var second = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        // One store behind both, so one key opens both.
        var key = await first.Services.GetRequiredService<IApiKeys>().IssueAsync("feed", "ingest");
        // 25 pings inside the grid, the 13th with a latitude no place has.
        var file = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        for (var i = 0; i < 25; i++) file.Append(CultureInfo.InvariantCulture, $"{At + (i * 1000)},dev-{i},{(i == 12 ? 95.0 : 29.5630):F4},106.5790,10\n");
        File.WriteAllText(d.File_("pings.csv"), file.ToString());

        var run = await Task.Run(() => CliRun.Run("", null, "send", "--to", $"{first.Address},{second.Address}", "--area", "hongyadong", "--key", key,
            "--pings", d.File_("pings.csv"), "--rows", "10"));

        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("pings: 25 records in 3 posts to 2 node(s): 24 accepted, 1 rejected, 0 posts refused", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_refuses_an_address_that_is_none_and_a_missing_key_naming_the_option()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), "timestamp,device_id,lat,lon,accuracy_m\n");
        var address = CliRun.Run("", null, "send", "--to", "not a url", "--key", "k", "--pings", d.File_("pings.csv"));
        Assert.Equal(2, address.Code);
        Assert.Contains("--to: 'not a url' is not an address", address.Err, StringComparison.Ordinal);
        var key = CliRun.Run("", new Dictionary<string, string>(), "send", "--to", "http://127.0.0.1:1", "--pings", d.File_("pings.csv"));
        Assert.Equal(2, key.Code);
        Assert.Contains("--key: expected an ingest key", key.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_to_now_moves_every_record_by_whole_slots_so_the_last_falls_in_the_current_slot()
    {
        const long slot = 900_000;
        var now = DateTimeOffset.Parse("2026-12-07T09:40:12+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var shift = RecordShift.EndingAt(At, now, slot);
        Assert.Equal(0, shift.ShiftMs % slot);
        Assert.Equal(now / slot, (At + shift.ShiftMs) / slot);
        // Unix ms and ISO 8601 move alike; the rest of the record is kept; what is no timestamp is left for the service to reject.
        Assert.Equal($"{At + shift.ShiftMs},dev-1,29.5,106.5,10", shift.Apply($"{At},dev-1,29.5,106.5,10"));
        var iso = shift.Apply("2026-10-01T20:07:00.000+08:00,dev-2,29.5,106.5,10");
        Assert.Equal(At + shift.ShiftMs, RecordShift.TimestampOf(iso));
        Assert.EndsWith(",dev-2,29.5,106.5,10", iso, StringComparison.Ordinal);
        Assert.Equal("yesterday,dev-3,29.5,106.5,10", shift.Apply("yesterday,dev-3,29.5,106.5,10"));
        // Files already ending now are not moved.
        Assert.Equal(0, RecordShift.EndingAt(now, now, slot).ShiftMs);
    }
}
