using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Cap;

/// <summary>
/// How a warning is graded in CAP: urgency, severity, certainty and the response asked for, from what the place
/// shows now and how sure the expectation is (docs/alerts.md, "CAP grading"). A warning of Red hours ahead at a 36%
/// chance is not an Extreme threat now; Evacuate is asked only when Red is observed.
/// </summary>
/// <param name="Urgency">Immediate (observed now, or expected within one slot), Expected (within the hour), Future; Past for a cancel.</param>
/// <param name="Severity">Extreme, Severe, Moderate, Minor: from <see cref="Effective"/>.</param>
/// <param name="Certainty">Observed, Likely (probability at least the rules' likely one, or a surge), Possible.</param>
/// <param name="Responses">CAP responseType values.</param>
/// <param name="Effective">
/// The level the severity stands for: the warned level when observed; when likely, the warned level but at most
/// Orange (Extreme is a danger present now); when only possible, one level below the warned one and at most Yellow;
/// never below the level observed now.
/// </param>
public sealed record CapGrading(string Urgency, string Severity, string Certainty, IReadOnlyList<string> Responses, RiskLevel Effective)
{
    /// <summary>The grading of <paramref name="alert"/> as sent at <paramref name="sentMs"/>; <paramref name="cancel"/> for an all-clear.</summary>
    public static CapGrading Of(Alert alert, long sentMs, bool cancel)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (cancel) return new CapGrading("Past", "Minor", "Observed", ["AllClear"], RiskLevel.None);
        var t = alert.Trigger;
        var certainty = t.Kind == TriggerKind.Observed ? Triggers.Certainty.Observed : t.Certainty;
        var expected = certainty switch
        {
            Triggers.Certainty.Observed => (int)alert.Level,
            Triggers.Certainty.Likely => Math.Min((int)alert.Level, (int)RiskLevel.Orange),
            _ => Math.Min((int)alert.Level - 1, (int)RiskLevel.Yellow),
        };
        var effective = (RiskLevel)Math.Max((int)alert.Observed, Math.Max((int)RiskLevel.Blue, expected));
        var slotMs = alert.SlotMinutes * 60_000L;
        var urgency = t.Kind == TriggerKind.Observed || t.ExpectedAtMs - sentMs <= slotMs ? "Immediate"
            : t.ExpectedAtMs - sentMs <= 3_600_000 ? "Expected" : "Future";
        IReadOnlyList<string> responses = effective switch
        {
            RiskLevel.Red when alert.Observed == RiskLevel.Red => ["Avoid", "Evacuate"],
            RiskLevel.Red or RiskLevel.Orange => ["Avoid", "Execute"],
            RiskLevel.Yellow => ["Prepare", "Monitor"],
            _ => ["Monitor"],
        };
        var severity = effective switch
        {
            RiskLevel.Red => "Extreme",
            RiskLevel.Orange => "Severe",
            RiskLevel.Yellow => "Moderate",
            _ => "Minor",
        };
        var word = certainty switch { Triggers.Certainty.Observed => "Observed", Triggers.Certainty.Likely => "Likely", _ => "Possible" };
        return new CapGrading(urgency, severity, word, responses, effective);
    }
}
