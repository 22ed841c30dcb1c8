using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Cap;

public class CapGradingTests
{
    private static readonly TriggerRules Rules = new();

    private static Alert Raise(PlaceSlot slot) =>
        Assert.Single(new AlertBook("test").Assess([TriggerEvaluation.Evaluate(slot, Rules)], slot.SlotMs)).Alert;

    [Fact]
    public void Evacuate_and_Extreme_only_when_Red_is_observed()
    {
        var red = Raise(At(0, 4600));
        var g = CapGrading.Of(red, Slot(0), cancel: false);
        Assert.Equal(("Immediate", "Extreme", "Observed"), (g.Urgency, g.Severity, g.Certainty));
        Assert.Contains("Evacuate", g.Responses);
    }

    [Fact]
    public void A_surge_toward_Red_from_a_thin_crowd_is_severe_and_likely_not_extreme()
    {
        // 0.80/m² (67% of a capacity of 1 200) rising 1.2/m² an hour: past capacity in 30 minutes at this pace.
        var surge = Raise(At(2, 800, before: [200, 500], capacity: 1200));
        Assert.Equal((TriggerKind.Surge, RiskLevel.Red), (surge.Trigger.Kind, surge.Level));
        var g = CapGrading.Of(surge, Slot(2), cancel: false);
        Assert.Equal(("Severe", "Likely"), (g.Severity, g.Certainty));
        Assert.DoesNotContain("Evacuate", g.Responses);
        Assert.Contains("above red's", surge.Trigger.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_possible_Red_hours_ahead_is_moderate_and_future()
    {
        var outlook = new Outlook(Slot(1), SlotMinutes, [.. Enumerable.Repeat(2000.0, 24)], [.. Enumerable.Repeat(1500.0, 24)], [.. Enumerable.Repeat(4200.0, 24)],
            [.. Enumerable.Range(0, 24).Select(h => h == 19 ? new[] { 0.9, 0.7, 0.5, 0.36 } : new[] { 0.1, 0.05, 0.0, 0.0 })], 0.8);
        var far = Raise(At(0, 500, outlook: outlook));
        Assert.Equal((TriggerKind.Forecast, RiskLevel.Red, Certainty.Possible), (far.Trigger.Kind, far.Level, far.Trigger.Certainty));
        var g = CapGrading.Of(far, Slot(0), cancel: false);
        Assert.Equal(("Future", "Moderate", "Possible"), (g.Urgency, g.Severity, g.Certainty));
        Assert.Contains("red", far.Trigger.Reason, StringComparison.Ordinal);
        Assert.Contains("4.00 persons/m² or 100% of capacity", far.Trigger.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_observed_reason_names_the_threshold_crossed_and_by_how_much()
    {
        var red = Raise(At(0, 4710, capacity: 2300));
        Assert.Contains("above red's 4.00 persons/m² by 0.71 (+18%)", red.Trigger.Reason, StringComparison.Ordinal);
        Assert.Contains("above red's 100% of capacity by 105 points", red.Trigger.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_expected_peak_is_a_future_slot_with_its_interval_and_none_without_a_forecast()
    {
        var none = Raise(At(0, 4600));
        Assert.False(none.Peak.Known);
        var outlook = Flat(0, 3500, 0.9, 0.8, 0.6, 0.2);
        var ahead = Raise(At(0, 2100, outlook: outlook));
        Assert.True(ahead.Peak.Known);
        Assert.True(ahead.Peak.AtMs > Slot(0));
        Assert.True(ahead.Peak.Low < ahead.Peak.Density && ahead.Peak.Density < ahead.Peak.High);
    }

    [Fact]
    public void Densities_past_what_a_crowd_can_hold_are_capped_and_flagged()
    {
        var slot = At(0, 13_470);
        Assert.Equal(CrowdDensity.PhysicalMaximum, slot.Density);
        Assert.True(slot.DensityFlagged);
        var a = Raise(slot);
        Assert.True(a.DensityFlagged);
        Assert.Equal(CrowdDensity.PhysicalMaximum, a.Density);
        Assert.Contains("more than a crowd can hold", a.Trigger.Reason, StringComparison.Ordinal);
        Assert.False(At(0, 4500).DensityFlagged);
    }
}
