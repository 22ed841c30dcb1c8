using System.Text.Json;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Storage;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// E-mail through an SMTP server (MailKit): the subject and text of the outbox message, with the CAP message attached
/// where the event has one. The server's acceptance of the message is the acknowledgement.
/// </summary>
internal sealed class EmailChannel(EmailSettings settings) : INotificationChannel
{
    /// <inheritdoc />
    public string Name => "email";

    /// <inheritdoc />
    public async Task<DeliveryOutcome> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string subject, body;
        string? cap;
        try
        {
            using var doc = JsonDocument.Parse(message.Payload);
            subject = doc.RootElement.GetProperty("subject").GetString() ?? "CrowdWatch";
            body = doc.RootElement.GetProperty("body").GetString() ?? "";
            cap = doc.RootElement.TryGetProperty("cap", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return DeliveryOutcome.Failed($"message {message.Id}: not an e-mail payload ({e.Message})");
        }

        if (!MailboxAddress.TryParse(message.Recipient, out var to)) return DeliveryOutcome.Failed($"recipient '{message.Recipient}' is not a mailbox");
        var mail = new MimeMessage { Subject = subject };
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(to);
        mail.Headers.Add("X-CrowdWatch-Idempotency-Key", $"{message.AlertId:N}.{message.Sequence}");
        var parts = new BodyBuilder { TextBody = body };
        if (cap is not null) parts.Attachments.Add("alert.cap.xml", System.Text.Encoding.UTF8.GetBytes(cap), new ContentType("application", "cap+xml"));
        mail.Body = parts.ToMessageBody();
        using var smtp = new SmtpClient { Timeout = 10_000 };
        try
        {
            await smtp.ConnectAsync(settings.Host ?? "localhost", settings.Port, settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(settings.User)) await smtp.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken).ConfigureAwait(false);
            await smtp.SendAsync(mail, cancellationToken).ConfigureAwait(false);
            await smtp.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return DeliveryOutcome.Done;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException or AuthenticationException or ServiceNotConnectedException)
        {
            return DeliveryOutcome.Failed($"smtp {settings.Host}:{settings.Port}: {e.Message}");
        }
    }
}
