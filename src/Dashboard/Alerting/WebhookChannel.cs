using System.Net.Http.Headers;
using System.Text;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Storage;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// Webhooks: the message's JSON POSTed to the recipient's URL, signed with HMAC-SHA256 under the secret configured
/// for that URL, with the alert version's idempotency key. Any 2xx is an acknowledgement; anything else, or no
/// answer within the timeout, is a failure to retry.
/// </summary>
internal sealed class WebhookChannel(HttpClient http, Func<string, string?> secretFor, TimeProvider time) : INotificationChannel
{
    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    public async Task<DeliveryOutcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(message.Recipient, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return DeliveryOutcome.Failed($"recipient '{message.Recipient}' is not an http(s) URL");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.Payload, Encoding.UTF8, "application/json") };
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.IdempotencyHeader, $"{message.AlertId:N}.{message.Sequence}");
        request.Headers.Add(WebhookSignature.TimestampHeader, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (secretFor(message.Recipient) is { Length: > 0 } secret)
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, seconds, message.Payload));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? DeliveryOutcome.Done : DeliveryOutcome.Failed($"{url.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed($"{url.Authority}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"{url.Authority}: no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
