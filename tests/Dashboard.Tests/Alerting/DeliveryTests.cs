using System.Text.Json;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public sealed class DeliveryTests : IDisposable
{
    private const string Secret = "s3cret-for-tests";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-delivery-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public DeliveryTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private OutboxDispatcher Dispatcher(Store store, ManualTime time, params INotificationChannel[] channels) =>
        new(store.Alerts, channels.Length > 0 ? channels : [new WebhookChannel(_http, _ => Secret, time)], time, new Backoff(1_000, 60_000));

    [Fact]
    public async Task Webhooks_are_signed_and_carry_one_idempotency_key_per_alert_version()
    {
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("webhook", receiver.Url, ["*"]));
        foreach (var c in AlertFixture.Evening(1)) await journal.RecordAsync(c);
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        Assert.Equal((3, 0), await Dispatcher(store, time).RunOnceAsync());

        var got = receiver.Requests.ToList();
        Assert.Equal(3, got.Count);
        foreach (var r in got)
        {
            var seconds = long.Parse(r.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(WebhookSignature.Verify(Secret, seconds, r.Body, r.Headers[WebhookSignature.Header]));
            Assert.False(WebhookSignature.Verify("another secret", seconds, r.Body, r.Headers[WebhookSignature.Header]));
            Assert.False(WebhookSignature.Verify(Secret, seconds, r.Body + " ", r.Headers[WebhookSignature.Header]));
            using var json = JsonDocument.Parse(r.Body);
            Assert.Equal(r.Headers["Idempotency-Key"], json.RootElement.GetProperty("idempotencyKey").GetString());
        }

        // One alert, three versions: raised yellow, updated orange, updated red, in that order.
        Assert.Equal(3, got.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        Assert.Single(got.Select(r => r.Headers["Idempotency-Key"].Split('.')[0]).Distinct());
        Assert.Equal(["yellow", "orange", "red"], got.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("alert").GetProperty("level").GetString()));
        Assert.Contains("<msgType>Update</msgType>", JsonDocument.Parse(got[1].Body).RootElement.GetProperty("cap").GetString(), StringComparison.Ordinal);
        Assert.Empty(await store.Alerts.DueAsync(time.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds(), 10));
    }

    [Fact]
    public async Task Two_dispatchers_after_one_died_mid_send_deliver_every_message_under_its_key_and_a_deduping_receiver_sees_each_once()
    {
        // The first receiver answer takes 3 s: the first dispatcher dies with a message in flight (the receiver gets it).
        await using var receiver = new Receiver { Delay = TimeSpan.FromSeconds(3) };
        await receiver.StartAsync();
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("webhook", receiver.Url, ["*"]));
        var changes = AlertFixture.Evening(2);
        foreach (var c in changes) await journal.RecordAsync(c);
        var all = changes.Select(c => $"{c.Alert.Id:N}.{c.Alert.Version}").ToHashSet();
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        var lease = TimeSpan.FromMinutes(1);

        using (var dying = new CancellationTokenSource())
        {
            var first = new OutboxDispatcher(store.Alerts, [new WebhookChannel(_http, _ => Secret, time)], time, new Backoff(1_000, 60_000), lease: lease);
            var run = first.RunOnceAsync(dying.Token);
            await Task.Delay(500);
            await dying.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        // Its claim holds until the lease ends: nobody sends those messages before, two dispatchers share them after.
        receiver.Delay = TimeSpan.Zero;
        var other = await AlertFixture.StoreAsync(_dir); // a second handle, as another node has
        OutboxDispatcher Live(Store s) => new(s.Alerts, [new WebhookChannel(_http, _ => Secret, time)], time, new Backoff(1_000, 60_000), lease: lease);
        Assert.Equal((0, 0), await Live(store).RunOnceAsync());
        time.Advance(lease);
        var rounds = await Task.WhenAll(Live(store).RunOnceAsync(), Live(other).RunOnceAsync());
        Assert.Equal(all.Count, rounds.Sum(r => r.Delivered));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.Requests.Count < all.Count + 1 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);

        var got = receiver.Requests.Where(r => r.Accepted).ToList();
        Assert.Equal(all, got.Select(r => r.Headers["Idempotency-Key"]).ToHashSet());
        // At least once: only the message in flight when the first died arrives twice, with the same key and body.
        Assert.Equal(all.Count + 1, got.Count);
        Assert.All(got.GroupBy(r => r.Headers["Idempotency-Key"]), g => Assert.Single(g.Select(r => r.Body).Distinct()));
        Assert.Empty(await store.Alerts.DueAsync(long.MaxValue, 100));
    }

    [Fact]
    public async Task A_failing_receiver_gets_the_message_again_after_the_backoff_with_the_same_key()
    {
        await using var receiver = new Receiver { FailNext = 2 };
        await receiver.StartAsync();
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("webhook", receiver.Url, ["*"]));
        await journal.RecordAsync(AlertFixture.Evening(1)[0]);
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        var dispatcher = Dispatcher(store, time);
        Assert.Equal((0, 1), await dispatcher.RunOnceAsync());
        Assert.Equal((0, 0), await dispatcher.RunOnceAsync()); // not due before the backoff (1 s)
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((0, 1), await dispatcher.RunOnceAsync());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((0, 0), await dispatcher.RunOnceAsync()); // the second wait is 2 s
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), await dispatcher.RunOnceAsync());
        Assert.Equal([false, false, true], receiver.Requests.Select(r => r.Accepted));
        Assert.Single(receiver.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task A_receiver_down_for_minutes_gets_every_notification_in_order_once_it_is_back()
    {
        await using var receiver = new Receiver();
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("webhook", receiver.Url, ["*"]));
        var changes = AlertFixture.Evening(3);
        foreach (var c in changes) await journal.RecordAsync(c);
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        var dispatcher = Dispatcher(store, time);
        // Ten minutes with nobody listening: a round every 10 s, every attempt refused.
        for (var s = 0; s < 600; s += 10)
        {
            Assert.Equal(0, (await dispatcher.RunOnceAsync()).Delivered);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await receiver.StartAsync();
        time.Advance(TimeSpan.FromSeconds(60)); // the longest backoff
        Assert.Equal((9, 0), await dispatcher.RunOnceAsync());
        var expected = changes.Select(c => $"{c.Alert.Id:N}.{c.Alert.Version}").ToList();
        Assert.Equal(expected, receiver.AcceptedKeys());
    }

    [Fact]
    public async Task The_sms_gateway_gets_ucs2_parts_and_a_recipient_over_the_hourly_limit_waits()
    {
        await using var gateway = new Receiver();
        await gateway.StartAsync();
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("sms", "+8613800000000", ["*"], RiskLevel.Yellow));
        foreach (var c in AlertFixture.Evening(1)) await journal.RecordAsync(c);
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        var sms = new SmsGatewayChannel(_http, new Uri(gateway.Url), 2, time);
        var dispatcher = Dispatcher(store, time, sms);
        Assert.Equal((2, 1), await dispatcher.RunOnceAsync());
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal((0, 0), await dispatcher.RunOnceAsync());
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal((1, 0), await dispatcher.RunOnceAsync());
        foreach (var r in gateway.Requests)
        {
            using var json = JsonDocument.Parse(r.Body);
            var parts = json.RootElement.GetProperty("parts").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.True(parts.Count > 1, "the Chinese warning with its instruction needs more than one UCS-2 message");
            Assert.All(parts, p => Assert.InRange(p.Length, 1, SmsText.PerPart));
            Assert.Equal("+8613800000000", json.RootElement.GetProperty("to").GetString());
            Assert.StartsWith("【CrowdWatch】", parts[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Email_reaches_a_real_smtp_server_with_the_cap_message_attached_and_a_refusal_is_retried()
    {
        await using var smtp = new SmtpReceiver { RefuseNext = 1 };
        var store = await AlertFixture.StoreAsync(_dir);
        var journal = AlertFixture.Journal(store, new Recipient("email", "duty@cq.example.org", ["*"], RiskLevel.Orange, Language: "en"));
        foreach (var c in AlertFixture.Evening(1)) await journal.RecordAsync(c);
        var time = new ManualTime(AlertFixture.Start.AddHours(1));
        var dispatcher = Dispatcher(store, time, new EmailChannel(new EmailSettings { Host = "127.0.0.1", Port = smtp.Port, From = "crowdwatch@cq.example.org" }));
        Assert.Equal((0, 1), await dispatcher.RunOnceAsync()); // 451: the Orange update and the Red one behind it wait
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((2, 0), await dispatcher.RunOnceAsync());
        var mails = smtp.Messages.ToList();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("duty@cq.example.org", m.To));
        using var first = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mails[0].Data));
        var message = await MimeKit.MimeMessage.LoadAsync(first);
        Assert.Equal("[CrowdWatch] ORANGE crowd warning (level II) updated: Test square 0", message.Subject);
        Assert.Contains("One-way", message.TextBody, StringComparison.OrdinalIgnoreCase);
        var cap = Assert.Single(message.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("alert.cap.xml", cap.FileName);
        using var content = new MemoryStream();
        await cap.Content!.DecodeToAsync(content);
        Assert.Contains("<msgType>Update</msgType>", System.Text.Encoding.UTF8.GetString(content.ToArray()), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}\\.2$", message.Headers["X-CrowdWatch-Idempotency-Key"] ?? "");
    }
}
