using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Alerts.Cap;

/// <summary>
/// Alerts as OASIS CAP 1.2 messages: a raise is msgType Alert, a level or certainty change an Update and a
/// clearance a Cancel, each referring to the message before it; info blocks in zh-CN and en-US; the place as a
/// closed lat,lon polygon. Acknowledgements and escalations are internal and publish no message.
/// </summary>
public static class CapMessage
{
    /// <summary>The CAP 1.2 namespace.</summary>
    public static readonly XNamespace Ns = "urn:oasis:names:tc:emergency:cap:1.2";

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The identifier of version <paramref name="version"/> of <paramref name="alert"/>'s messages: stable, unique per sender.</summary>
    public static string Identifier(Alert alert, int version)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return string.Create(Ci, $"crowdwatch.{Token(alert.Area)}.{alert.Id:N}.{version}");
    }

    /// <summary>An instant as CAP writes it: local time with an explicit offset, never <c>Z</c>.</summary>
    public static string Time(long ms, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return TimeZoneInfo.ConvertTime(utc, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", Ci);
    }

    /// <summary>Whether <paramref name="change"/> publishes a CAP message.</summary>
    public static bool Publishes(AlertChange change) =>
        change?.Kind is AlertChangeKind.Raised or AlertChangeKind.Updated or AlertChangeKind.Resolved or AlertChangeKind.Expired;

    /// <summary>Longest headline, as Google Public Alerts and most CAP consumers take it.</summary>
    public const int HeadlineLimit = 140;

    /// <summary>
    /// The CAP 1.2 XML for <paramref name="change"/>, or null when the change publishes none. The text is exactly
    /// what is served: declared UTF-8 and sent as UTF-8 bytes (<see cref="Bytes"/>).
    /// </summary>
    public static string? Write(AlertChange change, Instruction instruction, CapOptions options, TimeZoneInfo zone, int expireMinutes = 60)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(options);
        if (!Publishes(change)) return null;
        var a = change.Alert;
        var cancel = change.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired;
        var msgType = change.Kind switch { AlertChangeKind.Raised => "Alert", AlertChangeKind.Updated => "Update", _ => "Cancel" };
        var root = new XElement(Ns + "alert",
            new XElement(Ns + "identifier", Identifier(a, a.Version)),
            new XElement(Ns + "sender", options.Sender),
            new XElement(Ns + "sent", Time(change.AtMs, zone)),
            new XElement(Ns + "status", options.Status),
            new XElement(Ns + "msgType", msgType),
            new XElement(Ns + "scope", "Public"));
        if (options.Status != "Actual") root.Add(new XElement(Ns + "note", options.Status == "Exercise" ? "Exercise: not a real warning" : "Test: not a real warning"));
        if (change.Previous is { } prev)
            root.Add(new XElement(Ns + "references", $"{options.Sender},{Identifier(prev, prev.ChangedVersion)},{Time(prev.ChangedMs, zone)}"));
        root.Add(new XElement(Ns + "incidents", Identifier(a, 1)));
        var level = cancel ? change.Previous?.Level ?? a.Level : a.Level;
        // A message lapses no earlier than the alert's own horizon (onset and peak with margin); a cancel is valid
        // for the policy's margin. Never before it takes effect.
        var expires = cancel || a.ExpiresMs <= change.AtMs ? change.AtMs + (expireMinutes * 60_000L) : a.ExpiresMs;
        var grading = CapGrading.Of(a, change.AtMs, cancel);
        root.Add(Info("zh-CN", a, change, level, cancel, grading, expires, instruction.Zh, options, zone));
        root.Add(Info("en-US", a, change, level, cancel, grading, expires, instruction.En, options, zone));
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        using var bytes = new MemoryStream();
        // A StringBuilder would make the writer declare UTF-16 whatever the settings say: write the bytes a reader gets.
        using (var w = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) })) doc.Save(w);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The bytes of a message as served and stored in files: UTF-8 without a byte-order mark, as it declares.</summary>
    public static byte[] Bytes(string xml) => new UTF8Encoding(false).GetBytes(xml ?? throw new ArgumentNullException(nameof(xml)));

    /// <summary>When the CAP message <paramref name="alert"/> (its root element) lapses (its first <c>expires</c>), Unix ms; null if it has none.</summary>
    public static long? ExpiresMs(XElement alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var text = alert.Element(Ns + "info")?.Element(Ns + "expires")?.Value;
        return text is not null && DateTimeOffset.TryParse(text, Ci, DateTimeStyles.None, out var at) ? at.ToUnixTimeMilliseconds() : null;
    }

    private static XElement Info(string language, Alert a, AlertChange change, RiskLevel level, bool cancel, CapGrading grading, long expiresMs, string instruction,
        CapOptions options, TimeZoneInfo zone)
    {
        var zh = language == "zh-CN";
        var place = zh ? a.Place.NameZh : a.Place.NameEn;
        var t = a.Trigger;
        var headline = cancel
            ? (zh ? $"{place}{level.ColourZh()}人群密度预警解除" : $"{level.Colour().ToUpperInvariant()} crowd density warning for {a.Place.NameEn} lifted")
            : zh ? $"{place}{level.ColourZh()}人群密度预警（{level.Roman()}级）" : $"{Title(level)} (level {level.Roman()}) crowd density warning: {a.Place.NameEn}";
        if (headline.Length > HeadlineLimit) headline = headline[..(HeadlineLimit - 1)] + "…";
        var description = Describe(zh, a, change, cancel, zone);
        var info = new XElement(Ns + "info",
            new XElement(Ns + "language", language),
            new XElement(Ns + "category", "Safety"),
            new XElement(Ns + "event", zh ? "人群密度预警" : "Crowd density warning"));
        foreach (var r in grading.Responses) info.Add(new XElement(Ns + "responseType", r));
        info.Add(
            new XElement(Ns + "urgency", grading.Urgency),
            new XElement(Ns + "severity", grading.Severity),
            new XElement(Ns + "certainty", grading.Certainty),
            new XElement(Ns + "eventCode", new XElement(Ns + "valueName", "CrowdWatchLevel"), new XElement(Ns + "value", level.Colour())),
            new XElement(Ns + "effective", Time(change.AtMs, zone)));
        if (!cancel && t.Kind != TriggerKind.Observed) info.Add(new XElement(Ns + "onset", Time(Math.Max(change.AtMs, t.ExpectedAtMs), zone)));
        info.Add(
            new XElement(Ns + "expires", Time(Math.Max(expiresMs, change.AtMs + 60_000), zone)),
            new XElement(Ns + "senderName", zh ? options.SenderNameZh : options.SenderNameEn),
            new XElement(Ns + "headline", headline),
            new XElement(Ns + "description", description));
        // Consumers (Google Public Alerts among them) want an instruction on every message, the all-clear too.
        var says = cancel
            ? (zh ? $"{place}的预警已解除，请继续听从现场工作人员指挥。" : $"The warning for {a.Place.NameEn} is lifted; keep following the staff on site.")
            : instruction.Length > 0 ? instruction : (zh ? "请听从现场工作人员指挥。" : "Follow the instructions of the staff on site.");
        info.Add(new XElement(Ns + "instruction", says));
        info.Add(
            new XElement(Ns + "web", options.AlertPage(a.Id)),
            new XElement(Ns + "contact", options.Contact));
        void Parameter(string name, string value) => info.Add(new XElement(Ns + "parameter", new XElement(Ns + "valueName", name), new XElement(Ns + "value", value)));
        Parameter("levelColour", level.Colour());
        Parameter("levelNumber", level.Roman());
        // Under k the numbers would tell how many people a small group is: CAP is public, so none go out.
        if (a.UnderK)
        {
            Parameter("densityStatus", KThreshold.LowDensity);
        }
        else
        {
            Parameter("densityStatus", KThreshold.DensityEstimation);
            Parameter("densityPersonsPerM2", a.Density.ToString("0.00", Ci));
            if (a.DensityFlagged) Parameter("densityFlag", "ABOVE_PHYSICAL_MAXIMUM");
            if (a.CapacityUse is { } use) Parameter("capacityUsePercent", (use * 100).ToString("0", Ci));
            Parameter("trendPersonsPerM2PerHour", (a.Trend * 60).ToString("0.00", Ci));
        }

        Parameter("trigger", t.Kind.ToString());
        if (!double.IsNaN(t.Probability) && t.Kind == TriggerKind.Forecast) Parameter("probability", t.Probability.ToString("0.00", Ci));
        if (a.Peak.Known)
        {
            Parameter("peakDensityPersonsPerM2", a.Peak.Density.ToString("0.00", Ci));
            Parameter("peakTime", Time(a.Peak.AtMs, zone));
            Parameter("peakInterval", string.Create(Ci, $"{a.Peak.Low:0.00}-{a.Peak.High:0.00}"));
        }

        info.Add(new XElement(Ns + "area",
            new XElement(Ns + "areaDesc", zh ? a.Place.NameZh : a.Place.NameEn),
            new XElement(Ns + "polygon", Polygon(a.Place.Ring))));
        return info;
    }

    private static string Describe(bool zh, Alert a, AlertChange change, bool cancel, TimeZoneInfo zone)
    {
        string Local(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("HH:mm", Ci);
        var use = a.CapacityUse is { } u ? (zh ? string.Create(Ci, $"，容量使用率{u * 100:0}%") : string.Create(Ci, $", {u * 100:0}% of capacity")) : "";
        if (cancel && a.UnderK)
            return zh
                ? $"{a.Place.NameZh}人数已少于公布下限（人数过少，不公布密度）。{change.Note}"
                : $"Too few people are left at {a.Place.NameEn} to publish a density (under the privacy floor). {change.Note}";
        if (cancel)
            return zh
                ? string.Create(Ci, $"{a.Place.NameZh}人群密度已回落至每平方米{a.Density:0.00}人{use}。{change.Note}")
                : string.Create(Ci, $"Crowd density at {a.Place.NameEn} is back to {a.Density:0.00} persons/m²{use}. {change.Note}");
        var peak = !a.Peak.Known ? (zh ? "暂无预测峰值。" : "No forecast of the peak yet.")
            : zh
            ? string.Create(Ci, $"预计{Local(a.Peak.AtMs)}达到峰值每平方米{a.Peak.Density:0.00}人（80%区间{a.Peak.Low:0.00}–{a.Peak.High:0.00}）。")
            : string.Create(Ci, $"Expected peak {a.Peak.Density:0.00} persons/m² at {Local(a.Peak.AtMs)} (80% interval {a.Peak.Low:0.00}-{a.Peak.High:0.00}).");
        if (a.UnderK)
            return zh
                ? $"{a.Place.NameZh}当前人数过少，不公布密度。{peak}触发：{a.Trigger.Reason}"
                : $"Too few people are at {a.Place.NameEn} now to publish a density. {peak} Trigger: {a.Trigger.Reason}";
        return zh
            ? string.Create(Ci, $"{a.Place.NameZh}当前人群密度每平方米{a.Density:0.00}人{use}，每小时变化{a.Trend * 60:+0.00;-0.00}。{peak}触发：{a.Trigger.Reason}")
            : string.Create(Ci, $"Crowd density at {a.Place.NameEn} is {a.Density:0.00} persons/m²{use}, changing {a.Trend * 60:+0.00;-0.00} per hour. {peak} Trigger: {a.Trigger.Reason}");
    }

    private static string Title(RiskLevel level) => level switch
    {
        RiskLevel.Blue => "Blue",
        RiskLevel.Yellow => "Yellow",
        RiskLevel.Orange => "Orange",
        RiskLevel.Red => "Red",
        _ => "No",
    };

    /// <summary>A closed ring as CAP's polygon: "lat,lon" pairs separated by spaces, at least four, first equal to last.</summary>
    public static string Polygon(IReadOnlyList<(double Lat, double Lon)> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var points = ring.ToList();
        if (points.Count > 0 && points[0] != points[^1]) points.Add(points[0]);
        if (points.Count < 4) throw new ArgumentException($"a CAP polygon needs at least four points (three corners and the first again), got {points.Count}", nameof(ring));
        return string.Join(' ', points.Select(p => string.Create(Ci, $"{p.Lat:0.######},{p.Lon:0.######}")));
    }

    private static string Token(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}
