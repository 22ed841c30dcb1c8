using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>Sends the outbox: webhooks always, SMS and e-mail where a gateway or server is configured; woken by each recorded alert change.</summary>
public sealed class OutboxService : BackgroundService
{
    private readonly OutboxDispatcher _dispatcher;
    private readonly AlertingOptions _options;

    /// <summary>The service over the store's outbox.</summary>
    public OutboxService(IAlertStore store, IHttpClientFactory http, IOptions<AlertingOptions> options, RecipientBook recipients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        ArgumentNullException.ThrowIfNull(recipients);
        var client = http.CreateClient("alerts");
        var channels = new List<INotificationChannel> { new WebhookChannel(client, url => recipients.SecretFor(url) ?? _options.WebhookSecret, time) };
        if (Uri.TryCreate(_options.Sms.Endpoint, UriKind.Absolute, out var sms)) channels.Add(new SmsGatewayChannel(client, sms, _options.Sms.PerRecipientPerHour, time));
        if (!string.IsNullOrWhiteSpace(_options.Email.Host)) channels.Add(new EmailChannel(_options.Email));
        _dispatcher = new OutboxDispatcher(store, channels, time);
    }

    /// <summary>Wakes the dispatcher: something was recorded.</summary>
    public void Nudge() => _dispatcher.Nudge();

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _options.Enabled ? _dispatcher.RunAsync(Math.Max(_options.PollMilliseconds, 250), stoppingToken) : Task.CompletedTask;
}
