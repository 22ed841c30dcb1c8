using System.Xml.Linq;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public class FeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task The_feed_lists_only_messages_still_in_force()
    {
        using var d = new TestDeployment();
        var time = new ManualTime(AlertFixture.Start.AddMinutes(50));
        await using var app = await RunningHost.StartAsync(s => s.AddSingleton<TimeProvider>(time),
            "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false", "--Alerts:Enabled", "false");
        // Two open alerts whose latest messages (sent by 18:45) are valid for an hour.
        var journal = AlertFixture.Journal(app.Services.GetRequiredService<Store>());
        foreach (var c in AlertFixture.Evening(2)) await journal.RecordAsync(c);

        async Task<int> EntriesAsync() => XDocument.Parse(await app.Http.GetStringAsync("/api/alerts/feed.atom")).Root!.Elements(Atom + "entry").Count();
        Assert.Equal(2, await EntriesAsync());
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await EntriesAsync());
    }
}
