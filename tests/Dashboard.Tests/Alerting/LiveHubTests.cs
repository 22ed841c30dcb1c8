using System.Collections.Concurrent;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public class LiveHubTests
{
    [Fact]
    public async Task Subscribers_are_pushed_their_alert_events_and_a_reconnecting_client_gets_what_it_missed()
    {
        using var d = new TestDeployment();
        await using var app = await RunningHost.StartAsync("--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"),
            "--Forecast:Enabled", "false", "--Alerts:PollMilliseconds", "50");
        HubConnection Connect() => new HubConnectionBuilder().WithUrl($"{app.Address}/hubs/live").Build();

        await using var city = Connect();
        var cityEvents = new ConcurrentQueue<AlertEventView>();
        city.On<AlertEventView>(nameof(ILiveClient.Alert), e => cityEvents.Enqueue(e));
        await city.StartAsync();
        await city.InvokeAsync("Subscribe", "hongyadong", null);
        await using var elsewhere = Connect();
        var otherEvents = new ConcurrentQueue<AlertEventView>();
        elsewhere.On<AlertEventView>(nameof(ILiveClient.Alert), e => otherEvents.Enqueue(e));
        await elsewhere.StartAsync();
        await elsewhere.InvokeAsync("Subscribe", "hongyadong", new[] { "zone:somewhere-else" });

        // Red (21 000 people, capacity 20 000) in the slot judged; the one after only shows it complete.
        const long slot = 900_000;
        var s0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / slot * slot) - (2 * slot);
        var store = app.Services.GetRequiredService<ICountStore>();
        await store.WriteAsync(new CountBatch("hongyadong", "test", [s0, s0 + slot], [])
        {
            ZoneRows = [new ZoneCountRecord(s0, "people", "洪崖洞 Hongyadong", 21000), new ZoneCountRecord(s0 + slot, "people", "洪崖洞 Hongyadong", 20500)],
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (cityEvents.IsEmpty && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        var raised = Assert.Single(cityEvents);
        Assert.Equal(("raised", "red", "zone:洪崖洞 Hongyadong"), (raised.Kind, raised.Level, raised.Place));
        Assert.Empty(otherEvents);

        // A client that lost its connection after the raise asks for what came after it.
        await city.StopAsync();
        await app.Services.GetRequiredService<CrowdWatch.Dashboard.Alerting.AlertService>().ActAsync(raised.AlertId, "li.wei", "on it", resolve: false);
        await using var back = Connect();
        await back.StartAsync();
        var missed = await back.InvokeAsync<List<AlertEventView>>("Missed", "hongyadong", raised.Feed, null);
        var ack = Assert.Single(missed);
        Assert.Equal(("acknowledged", "li.wei", raised.Feed + 1), (ack.Kind, ack.Actor, ack.Feed));
        Assert.Equal(2, (await back.InvokeAsync<List<AlertEventView>>("Missed", "hongyadong", 0L, null)).Count);
        Assert.Empty(await back.InvokeAsync<List<AlertEventView>>("Missed", "hongyadong", 0L, new[] { "zone:somewhere-else" }));
    }
}
