using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Playbooks;

/// <summary>
/// Response playbooks per place and level, as crowd police stage them: measures for a place's own level first (for
/// example one-way loops on the Hongyadong viewing decks at Orange), else the place's measures for the nearest lower
/// level, else the general measures for the level.
/// </summary>
public sealed class Playbook
{
    private readonly Dictionary<(string Place, RiskLevel Level), Instruction> _steps = [];

    /// <summary>A playbook of <paramref name="steps"/>, on top of the general measures per level.</summary>
    public Playbook(IEnumerable<PlaybookStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var (level, instruction) in General) _steps[("*", level)] = instruction;
        foreach (var s in steps) _steps[(s.Place, s.Level)] = s.Instruction;
    }

    /// <summary>General measures per level, after the staged responses of crowd-safety practice.</summary>
    public static IReadOnlyDictionary<RiskLevel, Instruction> General { get; } = new Dictionary<RiskLevel, Instruction>
    {
        [RiskLevel.Blue] = new("加强现场巡查和视频监控，做好疏导准备。", "Step up patrols and camera watch; prepare crowd guidance."),
        [RiskLevel.Yellow] = new("启动分流引导，增派现场疏导人员，发布出行提示。", "Start diverting arrivals, add stewards on site, publish travel advice."),
        [RiskLevel.Orange] = new("限制进入，实行单向通行，开启备用出口，暂停周边停车和公交到站。", "Restrict entry, make walkways one-way, open the secondary exits, stop nearby parking and bus arrivals."),
        [RiskLevel.Red] = new("停止进入，分批疏散，请地铁相邻站点跳站，警力全面到位。", "Stop all entry, release the crowd in stages, ask the metro to skip the nearest station, deploy all police on site."),
    };

    /// <summary>The general measures only.</summary>
    public static Playbook Default => LazyDefault.Value;

    private static readonly Lazy<Playbook> LazyDefault = new(() => new Playbook([]));

    /// <summary>The instruction for <paramref name="placeId"/> at <paramref name="level"/> (empty for None).</summary>
    public Instruction For(string placeId, RiskLevel level)
    {
        if (level == RiskLevel.None) return new("", "");
        for (var l = level; l >= RiskLevel.Blue; l--)
            if (_steps.TryGetValue((placeId, l), out var own)) return own;
        return _steps[("*", level)];
    }
}
