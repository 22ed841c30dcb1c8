using System.Text.Json;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// Who hears of alerts, as it stands now: the recipients file where there is one (admins' edits are written there),
/// else <c>Alerts:Recipients</c>. The alert journal and the webhook signer ask it at each use, so an edit holds from the
/// next notification on, and after a restart.
/// </summary>
public sealed class RecipientBook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();
    private RecipientSettings[] _current;
    private IReadOnlyList<Recipient> _domain;

    /// <summary>Reads the recipients file if it exists, else the configured recipients.</summary>
    public RecipientBook(IOptions<AlertingOptions> options, IOptions<CrowdWatchOptions> host)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        FilePath = options.Value.RecipientsFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(host.Value.Deployment)) ?? ".", "recipients.json");
        _current = [.. options.Value.Recipients];
        if (File.Exists(FilePath))
        {
            RecipientSettings[]? read;
            try
            {
                read = JsonSerializer.Deserialize<RecipientSettings[]>(File.ReadAllText(FilePath), Json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{FilePath}: not a JSON array of recipients ({e.Message})", e);
            }

            _current = read ?? [];
            if (AlertingOptions.RecipientProblem(_current, FilePath) is { } problem) throw new InvalidDataException(problem);
        }

        _domain = AlertingOptions.ToDomain(_current);
    }

    /// <summary>Where edits are kept.</summary>
    public string FilePath { get; }

    /// <summary>The recipients now.</summary>
    public IReadOnlyList<RecipientSettings> Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    /// <summary>The recipients now, as the domain takes them.</summary>
    public IReadOnlyList<Recipient> Recipients
    {
        get
        {
            lock (_gate) return _domain;
        }
    }

    /// <summary>A webhook's own signing secret, if its recipient has one.</summary>
    public string? SecretFor(string url) => Current.FirstOrDefault(r => r.Channel == "webhook" && r.Address == url && !string.IsNullOrEmpty(r.Secret))?.Secret;

    /// <summary>Replaces the recipients (validated: the problem is returned and nothing changes) and writes them to <see cref="FilePath"/>.</summary>
    public string? Replace(IReadOnlyList<RecipientSettings> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (AlertingOptions.RecipientProblem(recipients, "recipients") is { } problem) return problem;
        lock (_gate)
        {
            var temporary = FilePath + ".editing";
            File.WriteAllText(temporary, JsonSerializer.Serialize(recipients, Json));
            File.Move(temporary, FilePath, overwrite: true);
            _current = [.. recipients];
            _domain = AlertingOptions.ToDomain(_current);
        }

        return null;
    }
}
