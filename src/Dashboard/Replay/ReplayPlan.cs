using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Dashboard.Replay;

/// <summary>What the replay will run: the area, its history, the raw files and the period, resolved at start.</summary>
public sealed record ReplayPlan(string Area, int SlotMinutes, string HistoryPath, string? PingsPath, string? SearchesPath, long FromMs, long ToMs, double SecondsPerSlot, int ForecastWaitSeconds,
    bool Paced = true, int PaceTimeoutSeconds = 120)
{
    /// <summary>How far past a slot's end a paced replay holds the clock until that slot is forecast and judged: past the binner's lateness and the judge's grace.</summary>
    public const long PaceMarginMs = 5 * 60_000L;

    /// <summary>Replayed time per real time: a slot every <see cref="SecondsPerSlot"/>.</summary>
    public double Speed => SlotMinutes * 60 / SecondsPerSlot;

    /// <summary>Slots in the period.</summary>
    public int Slots(long slotMs) => (int)((ToMs - FromMs) / slotMs);

    /// <summary>
    /// The plan for <paramref name="options"/> on the deployment at <paramref name="deploymentPath"/>, or null (with the
    /// reason) when there is nothing to replay: replay off, no area with a history, or a bad period.
    /// </summary>
    public static ReplayPlan? Resolve(ReplayOptions options, string deploymentPath, out string reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        reason = "";
        if (!options.Enabled)
        {
            reason = "Replay:Enabled is false";
            return null;
        }

        if (!File.Exists(deploymentPath))
        {
            reason = $"no deployment file at {deploymentPath}";
            return null;
        }

        var deployment = DeploymentFile.Load(deploymentPath);
        var entry = deployment.Entries.FirstOrDefault(e => (options.Area is null || e.Settings.Name == options.Area) && e.HistoryPath is { } h && File.Exists(h));
        if (entry is null)
        {
            reason = options.Area is null ? "no area of the deployment has a history file" : $"area '{options.Area}' has no history file";
            return null;
        }

        if (!Instants.TryParse(options.From, out var from) || !Instants.TryParse(options.To, out var to) || to <= from)
            throw new InvalidDataException($"Replay:From and Replay:To must each be {Instants.Expected}, To after From (are '{options.From}' and '{options.To}')");
        var dir = Path.GetDirectoryName(Path.GetFullPath(deploymentPath))!;
        string? Existing(string relative) => Path.GetFullPath(Path.Combine(dir, relative)) is var p && File.Exists(p) ? p : null;
        return new ReplayPlan(entry.Settings.Name, entry.Settings.SlotMinutes, entry.HistoryPath!, Existing(options.Pings), Existing(options.Searches), from, to, options.SecondsPerSlot, options.ForecastWaitSeconds,
            options.Paced, options.PaceTimeoutSeconds);
    }
}
