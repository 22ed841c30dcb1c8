using CrowdWatch.Alerts.Storage;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>A way to reach people or machines: webhooks, an SMS gateway, e-mail, the dashboard.</summary>
public interface INotificationChannel
{
    /// <summary>The channel's name as outbox messages give it, for example <c>webhook</c>.</summary>
    string Name { get; }

    /// <summary>Tries to deliver <paramref name="message"/> once; never throws for a receiver's failure.</summary>
    Task<DeliveryOutcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}
