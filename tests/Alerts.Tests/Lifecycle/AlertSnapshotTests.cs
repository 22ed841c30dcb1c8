using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Lifecycle;

public class AlertSnapshotTests
{
    [Fact]
    public void An_alert_comes_back_from_its_json_as_it_was()
    {
        var book = new AlertBook("test");
        var raised = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 3300, outlook: Flat(0, 3500, 1, 1, 0.7, 0.2)), new TriggerRules())], Slot(1))).Alert;
        var back = AlertSnapshot.FromJson(AlertSnapshot.ToJson(raised));
        Assert.NotNull(back);
        Assert.Equal(raised with { Place = back!.Place }, back);
        Assert.Equal(raised.Place.Ring, back.Place.Ring);
        Assert.Equal((raised.Place.Id, raised.Place.NameZh), (back.Place.Id, back.Place.NameZh));
        Assert.Null(AlertSnapshot.FromJson("{not json"));

        // A search warning has no probability: NaN goes through too.
        double[] usual = [100, 110, 95, 105, 98, 102, 120, 90, 101, 99, 104, 97, 103, 100];
        var searched = Assert.Single(new AlertBook("test").Assess([TriggerEvaluation.Evaluate(At(0, 200, search: 450, searchSameSlot: usual), new TriggerRules())], Slot(1))).Alert;
        Assert.True(double.IsNaN(searched.Trigger.Probability));
        Assert.True(double.IsNaN(AlertSnapshot.FromJson(AlertSnapshot.ToJson(searched))!.Trigger.Probability));
        Assert.Null(AlertSnapshot.FromJson(null));
    }
}
