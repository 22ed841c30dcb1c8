using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Triggers;

public class TriggerEvaluationTests
{
    private static readonly TriggerRules Rules = new();

    [Fact]
    public void The_current_density_fires_an_observed_trigger_at_its_level()
    {
        var a = TriggerEvaluation.Evaluate(At(0, 2100, capacity: null), Rules);
        Assert.Equal(RiskLevel.Yellow, a.Observed);
        Assert.Equal(RiskLevel.Yellow, a.Level);
        Assert.Equal(TriggerKind.Observed, a.Leading!.Kind);
        Assert.Equal(Certainty.Observed, a.Leading.Certainty);
    }

    [Fact]
    public void A_forecast_probability_above_the_possible_value_warns_of_the_highest_such_level()
    {
        // P(Blue..Red) = 0.9, 0.7, 0.4, 0.1: Orange is possible (>= 0.3), Red is not.
        var a = TriggerEvaluation.Evaluate(At(0, 1000, capacity: null, outlook: Flat(0, 2500, 0.9, 0.7, 0.4, 0.1)), Rules);
        Assert.Equal(RiskLevel.None, a.Observed);
        var t = Assert.Single(a.Triggers);
        Assert.Equal((TriggerKind.Forecast, RiskLevel.Orange, Certainty.Possible), (t.Kind, t.Level, t.Certainty));
        Assert.Equal(0.4, t.Probability);
        // Likely from 0.6.
        var likely = TriggerEvaluation.Evaluate(At(0, 1000, capacity: null, outlook: Flat(0, 2500, 0.9, 0.8, 0.65, 0.1)), Rules).Leading!;
        Assert.Equal((RiskLevel.Orange, Certainty.Likely), (likely.Level, likely.Certainty));
        // Below the lowest forecast level (Yellow) nothing fires.
        Assert.Empty(TriggerEvaluation.Evaluate(At(0, 1000, capacity: null, outlook: Flat(0, 1600, 0.9, 0.1, 0, 0)), Rules).Triggers);
    }

    [Fact]
    public void The_forecast_trigger_names_the_first_slot_where_the_probability_peaks()
    {
        var o = Flat(0, 2000, 0, 0, 0, 0);
        o.Exceedance[5] = [1, 1, 0.5, 0];
        var t = TriggerEvaluation.Evaluate(At(0, 1000, capacity: null, outlook: o), Rules).Leading!;
        Assert.Equal(RiskLevel.Orange, t.Level);
        Assert.Equal(o.At(5), t.ExpectedAtMs);
    }

    [Fact]
    public void A_surge_warns_of_the_level_reached_at_the_current_pace()
    {
        // 1 000 m², +600 people in two 15-min slots: 0.02 persons/m² per minute; in 30 min 1.4 + 0.6 = 2.0: Yellow.
        var a = TriggerEvaluation.Evaluate(At(2, 1400, before: [800, 1100], capacity: null), Rules);
        Assert.Equal(0.02, a.Trend, 9);
        var t = Assert.Single(a.Triggers);
        Assert.Equal((TriggerKind.Surge, RiskLevel.Yellow), (t.Kind, t.Level));
        // A slow rise is no surge.
        Assert.Empty(TriggerEvaluation.Evaluate(At(2, 1400, before: [1300, 1350], capacity: null), Rules).Triggers);
    }

    [Fact]
    public void Searches_far_above_their_usual_for_the_slot_are_a_leading_warning()
    {
        double[] usual = [100, 110, 95, 105, 98, 102, 120, 90, 101, 99, 104, 97, 103, 100];
        var a = TriggerEvaluation.Evaluate(At(0, 200, capacity: null, search: 450, searchSameSlot: usual), Rules);
        var t = Assert.Single(a.Triggers);
        Assert.Equal((TriggerKind.SearchAnomaly, RiskLevel.Blue, Certainty.Possible), (t.Kind, t.Level, t.Certainty));
        // Half again the usual is not, nor a handful of searches however far above their usual.
        Assert.Empty(TriggerEvaluation.Evaluate(At(0, 200, capacity: null, search: 150, searchSameSlot: usual), Rules).Triggers);
        Assert.Empty(TriggerEvaluation.Evaluate(At(0, 200, capacity: null, search: 40, searchSameSlot: [.. usual.Select(v => v / 20)]), Rules).Triggers);
    }

    [Fact]
    public void The_held_level_keeps_an_alert_until_the_density_falls_below_the_margin()
    {
        // Orange begins at 3.0; with a 10% margin the place holds Orange down to 2.7.
        Assert.Equal(RiskLevel.Orange, TriggerEvaluation.Evaluate(At(0, 2800, capacity: null), Rules).Held);
        Assert.Equal(RiskLevel.Yellow, TriggerEvaluation.Evaluate(At(0, 2600, capacity: null), Rules).Held);
    }

    [Fact]
    public void The_peak_is_the_highest_forecast_with_its_interval()
    {
        var o = Flat(0, 1000, 0, 0, 0, 0);
        o.Mean[3] = 2500;
        o.Low[3] = 2000;
        o.High[3] = 3100;
        var p = TriggerEvaluation.Evaluate(At(0, 1200, capacity: null, outlook: o), Rules).Peak;
        Assert.Equal((2.5, o.At(3), 2.0, 3.1), (p.Density, p.AtMs, p.Low, p.High));
    }
}
