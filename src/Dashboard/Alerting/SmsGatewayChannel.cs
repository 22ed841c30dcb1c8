using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Storage;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// An SMS gateway over HTTP: the text split into UCS-2 parts (<see cref="SmsText"/>) and POSTed as JSON
/// <c>{"to", "parts", "idempotencyKey"}</c> to the configured endpoint; a 2xx means the gateway took it. Each
/// recipient gets at most the configured number of messages per hour; the rest wait their turn rather than vanish.
/// </summary>
internal sealed class SmsGatewayChannel(HttpClient http, Uri endpoint, int perRecipientPerHour, TimeProvider time) : INotificationChannel
{
    private readonly Dictionary<string, Queue<long>> _sent = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "sms";

    /// <inheritdoc />
    public async Task<DeliveryOutcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Queue<long> sent;
        lock (_sent)
        {
            sent = _sent.TryGetValue(message.Recipient, out var q) ? q : _sent[message.Recipient] = new Queue<long>();
            while (sent.Count > 0 && sent.Peek() <= now - 3_600_000) sent.Dequeue();
            if (sent.Count >= perRecipientPerHour)
                return DeliveryOutcome.Later(sent.Peek() + 3_600_000, $"{message.Recipient} has had {sent.Count} messages in the last hour (limit {perRecipientPerHour})");
        }

        var body = new { to = message.Recipient, parts = SmsText.Parts(message.Payload), idempotencyKey = $"{message.AlertId:N}.{message.Sequence}" };
        try
        {
            using var response = await http.PostAsJsonAsync(endpoint, body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return DeliveryOutcome.Failed($"gateway answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed($"gateway {endpoint.Authority}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"gateway {endpoint.Authority}: no answer within {http.Timeout.TotalSeconds:0} s");
        }

        lock (_sent) sent.Enqueue(now);
        return DeliveryOutcome.Done;
    }
}
