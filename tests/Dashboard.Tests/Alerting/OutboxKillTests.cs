using System.Diagnostics;

namespace CrowdWatch.Dashboard.Tests.Alerting;

/// <summary>A real <c>crowdwatch alerts deliver</c> process killed with notifications pending: after a restart every one of them arrives.</summary>
public sealed class OutboxKillTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-outbox-kill-" + Guid.NewGuid().ToString("N"));

    public OutboxKillTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Process Deliver(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"));
        // A short lease: what the killed deliverer had claimed and not delivered is due again two seconds later.
        foreach (var a in (string[])["alerts", "deliver", "--lease-seconds", "2", .. args]) start.ArgumentList.Add(a);
        start.Environment["Store__DataDirectory"] = Path.Combine(_dir, "store");
        start.Environment["Alerts__WebhookSecret"] = "kill-test";
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Notifications_pending_when_the_process_is_killed_are_all_delivered_after_a_restart()
    {
        await using var receiver = new Receiver { Delay = TimeSpan.FromMilliseconds(150) };
        await receiver.StartAsync();
        var store = await AlertFixture.StoreAsync(Path.Combine(_dir, "store"));
        var journal = AlertFixture.Journal(store, new CrowdWatch.Alerts.Delivery.Recipient("webhook", receiver.Url, ["*"]));
        var changes = AlertFixture.Evening(10);
        foreach (var c in changes) await journal.RecordAsync(c);
        var all = changes.Select(c => $"{c.Alert.Id:N}.{c.Alert.Version}").ToHashSet();
        Assert.Equal(30, all.Count);

        using (var first = Deliver())
        {
            _ = first.StandardOutput.ReadToEndAsync();
            _ = first.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            while (receiver.AcceptedKeys().Count < 5 && waited.Elapsed < TimeSpan.FromSeconds(60) && !first.HasExited) await Task.Delay(20);
            Assert.False(first.HasExited, "the deliverer stopped by itself");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var before = receiver.AcceptedKeys().Count;
        Assert.InRange(before, 5, 29);
        Assert.NotEmpty(await store.Alerts.DueAsync(long.MaxValue, 100));

        using (var second = Deliver("--until-empty"))
        {
            var output = second.StandardOutput.ReadToEndAsync();
            var error = second.StandardError.ReadToEndAsync();
            Assert.True(second.WaitForExit(TimeSpan.FromSeconds(60)), "the restarted deliverer did not finish");
            Assert.True(second.ExitCode == 0, await error);
            Assert.Contains("outbox empty", await output, StringComparison.Ordinal);
        }

        var got = receiver.AcceptedKeys();
        Assert.Equal(all, got.ToHashSet());
        // At least once: only a message in flight at the kill may arrive twice.
        Assert.InRange(got.Count, 30, 31);
        Assert.Empty(await store.Alerts.DueAsync(long.MaxValue, 100));
    }
}
