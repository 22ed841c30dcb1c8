using System.ComponentModel.DataAnnotations;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>How the host warns (configuration section <c>Alerts</c>).</summary>
public sealed class AlertingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Alerts";

    /// <summary>Whether the host evaluates risk and raises alerts.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Milliseconds between looks at the store for a new slot (and at the outbox).</summary>
    [Range(20, 60_000)]
    public int PollMilliseconds { get; set; } = 250;

    /// <summary>Seconds after a slot's end at which it is evaluated even if no later slot has data yet.</summary>
    [Range(0, 3600)]
    public int GraceSeconds { get; set; } = 60;

    /// <summary>CAP sender and labels.</summary>
    public CapOptions Cap { get; set; } = new();

    /// <summary>The lifecycle's rules.</summary>
    public AlertPolicy Policy { get; set; } = new();

    /// <summary>When triggers fire.</summary>
    public TriggerRules Triggers { get; set; } = new();

    /// <summary>Who hears of alerts.</summary>
    public List<RecipientSettings> Recipients { get; set; } = [];

    /// <summary>Shared secret for signing webhooks, used where a recipient has none of its own.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The SMS gateway, if any.</summary>
    public SmsSettings Sms { get; set; } = new();

    /// <summary>The SMTP server, if any.</summary>
    public EmailSettings Email { get; set; } = new();

    /// <summary>A playbooks JSON file (default: <c>playbooks.json</c> beside the deployment file, if there is one).</summary>
    public string? PlaybookFile { get; set; }

    /// <summary>A recipients file (default: <c>recipients.json</c> beside the deployment file, if there is one): where admins' edits are kept, and read instead of <see cref="Recipients"/> when it exists.</summary>
    public string? RecipientsFile { get; set; }

    /// <summary><paramref name="recipients"/> as the domain takes them.</summary>
    public static IReadOnlyList<Recipient> ToDomain(IEnumerable<RecipientSettings> recipients) =>
        [.. recipients.Select(r => new Recipient(r.Channel, r.Address, r.Places.Count == 0 ? ["*"] : r.Places, RiskLevels.TryParse(r.From, out var l) ? l : RiskLevel.Blue, r.Stage, r.Language))];

    /// <summary>What is wrong with the first bad recipient, named as <c>{prefix}:{index}:{Field}</c>; null when all are good.</summary>
    public static string? RecipientProblem(IReadOnlyList<RecipientSettings> recipients, string prefix)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        for (var i = 0; i < recipients.Count; i++)
        {
            var r = recipients[i];
            if (r is null) return $"{prefix}:{i} is empty";
            // Every field is checked, nulls included (JSON may send "places": null), before anything is kept.
            var reason =
                r.Channel is not ("webhook" or "sms" or "email") ? $"{prefix}:{i}:Channel must be webhook, sms or email, got '{r.Channel}'" :
                r.Address is null || r.Address.Length > 2048 ? $"{prefix}:{i}:Address must be given (at most 2048 characters)" :
                r.Channel == "webhook" && !(Uri.TryCreate(r.Address, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") ? $"{prefix}:{i}:Address must be an http(s) URL for a webhook, got '{r.Address}'" :
                r.Channel == "sms" && !IsPhoneNumber(r.Address) ? $"{prefix}:{i}:Address must be a phone number in E.164 form, e.g. +8613800138000" :
                r.Channel == "email" && !MimeKit.MailboxAddress.TryParse(r.Address, out _) ? $"{prefix}:{i}:Address must be a mailbox such as duty@example.org, got '{r.Address}'" :
                r.Places is null ? $"{prefix}:{i}:Places must be a list of place ids (empty for all), not null" :
                r.Places.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > 200) ? $"{prefix}:{i}:Places must hold place ids, each 1 to 200 characters" :
                r.From is null || !RiskLevels.TryParse(r.From, out var level) || level == RiskLevel.None ? $"{prefix}:{i}:From must be blue, yellow, orange or red, got '{r.From}'" :
                r.Stage is < 0 or > 20 ? $"{prefix}:{i}:Stage must be 0 to 20" :
                r.Language is not ("zh" or "en") ? $"{prefix}:{i}:Language must be zh or en" :
                r.Secret is { Length: > 512 } ? $"{prefix}:{i}:Secret must be at most 512 characters" :
                null;
            if (reason is not null) return reason;
        }

        return null;
    }

    /// <summary>Whether <paramref name="text"/> is a phone number in E.164 form: a plus, then 8 to 15 digits.</summary>
    public static bool IsPhoneNumber(string text) =>
        text is { Length: >= 9 and <= 16 } && text[0] == '+' && text[1] != '0' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Whether the settings make sense; otherwise why not.</summary>
    public bool IsValid(out string? reason)
    {
        if (!Cap.IsValid(out reason)) { reason = $"Alerts:Cap: {reason}"; return false; }
        if (!Policy.IsValid(out reason)) { reason = $"Alerts:Policy: {reason}"; return false; }
        if (!Triggers.IsValid(out reason)) { reason = $"Alerts:Triggers: {reason}"; return false; }
        if (RecipientProblem(Recipients, "Alerts:Recipients") is { } problem)
        {
            reason = problem;
            return false;
        }

        if (Recipients.Any(r => r.Channel == "sms") && !Uri.TryCreate(Sms.Endpoint, UriKind.Absolute, out _))
        {
            reason = "Alerts:Sms:Endpoint must be the gateway's absolute URL when an SMS recipient is configured";
            return false;
        }

        if (Recipients.Any(r => r.Channel == "email") && (string.IsNullOrWhiteSpace(Email.Host) || !MimeKit.MailboxAddress.TryParse(Email.From, out _)))
        {
            reason = "Alerts:Email:Host and Alerts:Email:From (a mailbox) must be set when an e-mail recipient is configured";
            return false;
        }

        return true;
    }
}

/// <summary>One recipient as configuration binds it (see <see cref="Recipient"/>).</summary>
public sealed class RecipientSettings
{
    /// <summary><c>webhook</c> or <c>sms</c>.</summary>
    public string Channel { get; set; } = "webhook";

    /// <summary>URL or phone number.</summary>
    public string Address { get; set; } = "";

    /// <summary>Place ids, or none for all.</summary>
    public List<string> Places { get; set; } = [];

    /// <summary>Lowest level heard of: blue, yellow, orange or red.</summary>
    public string From { get; set; } = "blue";

    /// <summary>Escalation stage.</summary>
    public int Stage { get; set; }

    /// <summary><c>zh</c> or <c>en</c>.</summary>
    public string Language { get; set; } = "zh";

    /// <summary>This webhook's own signing secret, if any; never shown back.</summary>
    public string? Secret { get; set; }

    /// <summary>Whether the recipient has a secret (as shown to admins, who never see the secret itself); ignored when sent.</summary>
    public bool HasSecret { get; set; }
}

/// <summary>The SMTP server for e-mail.</summary>
public sealed class EmailSettings
{
    /// <summary>Its host name.</summary>
    public string? Host { get; set; }

    /// <summary>Its port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Whether to require STARTTLS.</summary>
    public bool StartTls { get; set; }

    /// <summary>User name, if the server wants one.</summary>
    public string? User { get; set; }

    /// <summary>Password.</summary>
    public string? Password { get; set; }

    /// <summary>The sender's mailbox.</summary>
    public string From { get; set; } = "crowdwatch@localhost";
}

/// <summary>The SMS gateway.</summary>
public sealed class SmsSettings
{
    /// <summary>The gateway's URL.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The Chinese text, with the placeholders of <see cref="SmsTemplate"/> (default: <see cref="SmsTemplate.Default"/>).</summary>
    public string? TemplateZh { get; set; }

    /// <summary>The English text, likewise.</summary>
    public string? TemplateEn { get; set; }

    /// <summary>The templates as the domain takes them.</summary>
    public SmsTemplate Template() => new(TemplateZh ?? SmsTemplate.Default.Zh, TemplateEn ?? SmsTemplate.Default.En);

    /// <summary>Most messages per recipient per hour.</summary>
    [Range(1, 1000)]
    public int PerRecipientPerHour { get; set; } = 10;
}
