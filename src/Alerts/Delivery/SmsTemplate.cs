using System.Globalization;
using System.Text;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>
/// The text of an SMS warning, per language, with placeholders: <c>{time}</c> (local HH:mm), <c>{place}</c>,
/// <c>{level}</c> (colour), <c>{number}</c> (IV..I), <c>{event}</c> (issued, updated, escalated, lifted),
/// <c>{density}</c> (persons/m²), <c>{capacity}</c> (", 97% of capacity" or empty), <c>{peak}</c> (expected peak density)
/// and <c>{instruction}</c> (the playbook's, empty when lifted). Unknown placeholders are left as they are.
/// </summary>
/// <param name="Zh">The Chinese template.</param>
/// <param name="En">The English template.</param>
public sealed record SmsTemplate(string Zh, string En)
{
    /// <summary>The default texts.</summary>
    public static SmsTemplate Default { get; } = new(
        "【CrowdWatch】{time} {place}{level}人群密度预警（{number}级）{event}。当前每平方米{density}人{capacity}，预计峰值{peak}。{instruction}",
        "[CrowdWatch] {time} {level} crowd warning (level {number}) {event} for {place}: {density}/m²{capacity}, peak {peak} expected. {instruction}");

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The text of <paramref name="change"/> at <paramref name="level"/> in <paramref name="language"/> (<c>zh</c> or <c>en</c>).</summary>
    public string Render(AlertChange change, RiskLevel level, Instruction instruction, string language, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(zone);
        var a = change.Alert;
        var zh = language != "en";
        var lifted = change.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["time"] = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs), zone).ToString("HH:mm", Ci),
            ["place"] = zh ? a.Place.NameZh : a.Place.NameEn,
            ["level"] = zh ? level.ColourZh() : level.Colour().ToUpperInvariant(),
            ["number"] = level.Roman(),
            ["event"] = change.Kind switch
            {
                AlertChangeKind.Raised => zh ? "发布" : "issued",
                AlertChangeKind.Updated => zh ? "更新" : "updated",
                AlertChangeKind.Escalated => zh ? "未获确认，升级通知" : "not acknowledged, escalated to you",
                AlertChangeKind.Acknowledged => zh ? "已确认" : "acknowledged",
                AlertChangeKind.DataGap => zh ? "数据中断，预警维持" : "data missing, warning stands",
                AlertChangeKind.DataResumed => zh ? "数据恢复" : "data again",
                _ => zh ? "解除" : "lifted",
            },
            // Under k no number goes out: it would tell the size of a small group.
            ["density"] = a.UnderK ? "-" : a.Density.ToString("0.0", Ci),
            ["capacity"] = !a.UnderK && a.CapacityUse is { } u ? (zh ? string.Create(Ci, $"，容量{u * 100:0}%") : string.Create(Ci, $", {u * 100:0}% of capacity")) : "",
            ["peak"] = a.Peak.Known ? a.Peak.Density.ToString("0.0", Ci) : "-",
            ["instruction"] = lifted ? "" : zh ? instruction.Zh : instruction.En,
        };
        var template = zh ? Zh : En;
        var sb = new StringBuilder(template.Length + 64);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i + 1) : -1;
            if (close > i && values.TryGetValue(template[(i + 1)..close], out var v))
            {
                sb.Append(v);
                i = close;
            }
            else
            {
                sb.Append(template[i]);
            }
        }

        return sb.ToString().Trim();
    }
}
