using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrowdWatch.Alerts.Lifecycle;

/// <summary>An alert as JSON, kept with each of its events so that open alerts carry on where they were after a restart.</summary>
public static class AlertSnapshot
{
    // The place's outline is a list of (lat, lon) tuples: their values are fields. A search trigger has no probability (NaN).
    private static readonly JsonSerializerOptions Options = new() { IncludeFields = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The alert as JSON.</summary>
    public static string ToJson(Alert alert) => JsonSerializer.Serialize(alert ?? throw new ArgumentNullException(nameof(alert)), Options);

    /// <summary>The alert from its JSON; null if the text is not one.</summary>
    public static Alert? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<Alert>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
