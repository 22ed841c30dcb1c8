using System.Text.Json;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>
/// Reads response playbooks: a JSON array of <c>{"place", "level", "zh", "en"}</c>. A bad entry is reported with its
/// index and what was expected, and the rest are kept.
/// </summary>
internal static class PlaybookFile
{
    public static Playbook Read(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var steps = new List<PlaybookStep>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add($"{path}: not JSON ({e.Message}); expected an array of {{\"place\", \"level\", \"zh\", \"en\"}}");
            return Playbook.Default;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}: expected an array of {{\"place\", \"level\", \"zh\", \"en\"}}");
                return Playbook.Default;
            }

            var i = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                string? Text(string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var (place, level, zh, en) = (Text("place"), Text("level"), Text("zh"), Text("en"));
                if (string.IsNullOrWhiteSpace(place)) problems.Add($"{path}[{i}]: 'place' is missing; expected a place id such as zone:hongyadong, or *");
                else if (!RiskLevels.TryParse(level, out var l) || l == RiskLevel.None) problems.Add($"{path}[{i}]: 'level' is '{level}'; expected blue, yellow, orange or red");
                else if (string.IsNullOrWhiteSpace(zh) || string.IsNullOrWhiteSpace(en)) problems.Add($"{path}[{i}]: 'zh' and 'en' must both give the instruction");
                else steps.Add(new PlaybookStep(place, l, new Instruction(zh, en)));
                i++;
            }
        }

        return new Playbook(steps);
    }
}
