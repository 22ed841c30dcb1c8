using System.Diagnostics;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Dashboard.Tests.Alerting;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Tests;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>
/// Two dispatcher processes (<c>crowdwatch alerts deliver</c>) on one PostgreSQL outbox, as two nodes run them: one is
/// killed with SIGKILL while it holds claimed messages; the other delivers everything, each message under the key it
/// always had, so a receiver that dedupes on the key takes each exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterDispatchTests(PostgresServer server)
{
    private static Process Deliver(string connection)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"));
        // A two-second claim: what the killed dispatcher held is due again two seconds later, for the other.
        foreach (var a in (string[])["alerts", "deliver", "--lease-seconds", "2", "--until-empty"]) start.ArgumentList.Add(a);
        start.Environment["Store__Provider"] = StoreOptions.Postgres;
        start.Environment["ConnectionStrings__CrowdWatch"] = connection;
        start.Environment["Alerts__WebhookSecret"] = "dispatch-kill-test";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    [Fact]
    public async Task A_dispatcher_killed_with_messages_in_flight_leaves_them_to_the_other_under_the_same_keys_and_a_deduping_receiver_sees_each_once()
    {
        await using var receiver = new Receiver { Delay = TimeSpan.FromMilliseconds(200) };
        await receiver.StartAsync();
        var connection = await server.NewDatabaseAsync();
        await using var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
        var journal = AlertFixture.Journal(store, new Recipient("webhook", receiver.Url, ["*"]));
        var changes = AlertFixture.Evening(10);
        foreach (var c in changes) await journal.RecordAsync(c);
        var all = changes.Select(c => $"{c.Alert.Id:N}.{c.Alert.Version}").ToHashSet();

        // The first dispatcher claims the whole outbox (one batch) and is sending; the second, on another "node",
        // starts meanwhile and finds everything claimed.
        using var victim = Deliver(connection);
        var waited = Stopwatch.StartNew();
        while (receiver.Requests.Count < 3 && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
        using var survivor = Deliver(connection);
        while (receiver.Requests.Count < 6 && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
        Assert.False(victim.HasExited, "the first dispatcher finished before it could be killed");
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync();
        // What it held is claimed, not delivered: due again once its claim runs out.
        Assert.NotEmpty(await store.Alerts.DueAsync(long.MaxValue, 100));

        Assert.True(survivor.WaitForExit(TimeSpan.FromSeconds(90)), "the other dispatcher did not empty the outbox");
        Assert.Equal(0, survivor.ExitCode);
        Assert.Empty(await store.Alerts.DueAsync(long.MaxValue, 100));

        // At least once, under one key per message: the receiver's dedupe on the key leaves each exactly once, and a
        // message that came twice came with the same body.
        var got = receiver.Requests.Where(r => r.Accepted).ToList();
        var deduped = got.GroupBy(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(all, deduped.Select(g => g.Key).ToHashSet());
        Assert.All(deduped, g => Assert.Single(g.Select(r => r.Body).Distinct()));
        Assert.InRange(got.Count, all.Count, all.Count + 10);
    }
}
