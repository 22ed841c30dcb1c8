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
public sealed partial class RecipientBook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();
    private RecipientSettings[] _current;
    private IReadOnlyList<Recipient> _domain;

    /// <summary>
    /// Reads the recipients file if it exists, else the configured recipients. A file that cannot be read or holds a
    /// bad recipient is ignored (the configured recipients hold) and <see cref="Ignored"/> says why: the host starts.
    /// </summary>
    public RecipientBook(IOptions<AlertingOptions> options, IOptions<CrowdWatchOptions> host, ILogger<RecipientBook>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        FilePath = options.Value.RecipientsFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(host.Value.Deployment)) ?? ".", "recipients.json");
        _current = [.. options.Value.Recipients];
        if (File.Exists(FilePath))
        {
            try
            {
                var read = JsonSerializer.Deserialize<RecipientSettings[]>(File.ReadAllText(FilePath), Json) ?? [];
                Ignored = AlertingOptions.RecipientProblem(read, FilePath);
                if (Ignored is null) _current = read;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                Ignored = $"{FilePath}: not a JSON array of recipients ({e.Message})";
            }

            if (Ignored is not null && log is not null) LogIgnored(log, Ignored, _current.Length);
        }

        _domain = AlertingOptions.ToDomain(_current);
    }

    /// <summary>Why the recipients file was ignored at start, or null when it was read (or there was none).</summary>
    public string? Ignored { get; }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recipients file ignored, {Count} configured recipients hold instead: {Problem}")]
    private static partial void LogIgnored(ILogger log, string problem, int count);

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

    /// <summary>
    /// Replaces the recipients (validated whole first: the problem is returned and nothing changes, on disk or here)
    /// and writes them to <see cref="FilePath"/>, readable by this user only. A webhook sent without a secret keeps the
    /// secret its address had, since secrets are never shown back (<see cref="Shown"/>).
    /// </summary>
    public string? Replace(IReadOnlyList<RecipientSettings> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (AlertingOptions.RecipientProblem(recipients, "recipients") is { } problem) return problem;
        lock (_gate)
        {
            RecipientSettings[] next = [.. recipients.Select(r => string.IsNullOrEmpty(r.Secret) && r.Channel == "webhook" && SecretFor(r.Address) is { } kept ? Copy(r, kept) : r)];
            var domain = AlertingOptions.ToDomain(next);
            var temporary = FilePath + ".editing";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            File.Delete(temporary); // the mode is set only where the file is made
            using (var file = new FileStream(temporary, create)) JsonSerializer.Serialize(file, next, Json);
            File.Move(temporary, FilePath, overwrite: true);
            _current = next;
            _domain = domain;
        }

        return null;
    }

    /// <summary>The recipients as an admin is shown them: each webhook's secret left out (<see cref="RecipientSettings.HasSecret"/> says whether it has one).</summary>
    public RecipientSettings[] Shown() => [.. Current.Select(r => Copy(r, null))];

    private static RecipientSettings Copy(RecipientSettings r, string? secret) => new()
    {
        Channel = r.Channel, Address = r.Address, Places = [.. r.Places], From = r.From, Stage = r.Stage, Language = r.Language, Secret = secret,
        HasSecret = secret is not null || !string.IsNullOrEmpty(r.Secret),
    };
}
