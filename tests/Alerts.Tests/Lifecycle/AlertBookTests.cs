using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Lifecycle;

public class AlertBookTests
{
    private static readonly TriggerRules Rules = new();

    private static AlertBook Book(AlertPolicy? policy = null) => new("test", policy ?? new AlertPolicy { ClearSlots = 3, AcknowledgeMinutes = 10, EscalationStages = 2, ExpireMinutes = 60 });

    // One slot for the test square with this many people (1 000 m², no capacity: 1 500 Blue .. 4 000 Red).
    private static IReadOnlyList<AlertChange> Step(AlertBook book, int slot, double people) =>
        book.Assess([TriggerEvaluation.Evaluate(At(slot, people, capacity: null), Rules, book.Policy.ClearMargin)], Slot(slot));

    [Fact]
    public void A_crowd_hovering_at_a_threshold_raises_one_alert_and_does_not_flap()
    {
        var book = Book();
        var all = new List<AlertChange>();
        // Around Orange (3 000) for two hours: 3 050, 2 950, 3 020, 2 900, ...: never below 2 700 (Orange less 10%).
        for (var i = 0; i < 8; i++) all.AddRange(Step(book, i, i % 2 == 0 ? 3050 : 2900));
        var raised = Assert.Single(all);
        Assert.Equal((AlertChangeKind.Raised, RiskLevel.Orange), (raised.Kind, raised.Alert.Level));
        Assert.Single(book.Open);
    }

    [Fact]
    public void A_rising_level_updates_the_same_alert_at_once_and_a_falling_one_only_after_the_quiet_slots()
    {
        var book = Book();
        var raise = Assert.Single(Step(book, 0, 2100));
        Assert.Equal(RiskLevel.Yellow, raise.Alert.Level);
        var up = Assert.Single(Step(book, 1, 3200));
        Assert.Equal((AlertChangeKind.Updated, RiskLevel.Orange, 2, raise.Alert.Id), (up.Kind, up.Alert.Level, up.Alert.Version, up.Alert.Id));
        Assert.Equal(raise.Alert, up.Previous! with { });
        // Down to 2 500 (Yellow, below 2 700): two quiet slots change nothing, the third lowers it.
        Assert.Empty(Step(book, 2, 2500));
        Assert.Empty(Step(book, 3, 2500));
        var down = Assert.Single(Step(book, 4, 2500));
        Assert.Equal((AlertChangeKind.Updated, RiskLevel.Yellow, 3), (down.Kind, down.Alert.Level, down.Alert.Version));
        // Then empty: resolved after three more quiet slots.
        Assert.Empty(Step(book, 5, 500));
        Assert.Empty(Step(book, 6, 500));
        var cleared = Assert.Single(Step(book, 7, 500));
        Assert.Equal((AlertChangeKind.Resolved, AlertState.Resolved, "system"), (cleared.Kind, cleared.Alert.State, cleared.Actor));
        Assert.Empty(book.Open);
    }

    [Fact]
    public void A_quiet_slot_between_busy_ones_starts_the_count_again()
    {
        var book = Book();
        Step(book, 0, 3200);
        Step(book, 1, 2000);
        Step(book, 2, 2000);
        Step(book, 3, 3100); // back at Orange: the quiet count restarts
        Step(book, 4, 2000);
        Assert.Empty(Step(book, 5, 2000));
        Assert.Equal(RiskLevel.Orange, Assert.Single(book.Open).Level);
    }

    [Fact]
    public void An_unacknowledged_alert_goes_to_the_next_group_and_an_acknowledged_one_does_not()
    {
        var book = Book();
        var raised = Assert.Single(Step(book, 0, 3200)).Alert;
        Assert.Empty(book.Tick(Slot(0) + (9 * 60_000)));
        var first = Assert.Single(book.Tick(Slot(0) + (10 * 60_000)));
        Assert.Equal((AlertChangeKind.Escalated, 1), (first.Kind, first.Alert.Stage));
        var second = Assert.Single(book.Tick(Slot(0) + (20 * 60_000)));
        Assert.Equal(2, second.Alert.Stage);
        Assert.Empty(book.Tick(Slot(0) + (30 * 60_000))); // no stage beyond the last group

        var other = Book();
        var id = Assert.Single(Step(other, 0, 3200)).Alert.Id;
        var ack = other.Acknowledge(id, "li.wei", "stewards sent to the east stairs", Slot(0) + (5 * 60_000));
        Assert.Equal((AlertChangeKind.Acknowledged, AlertState.Acknowledged, "li.wei", "stewards sent to the east stairs"), (ack.Kind, ack.Alert.State, ack.Actor, ack.Note));
        Assert.Empty(other.Tick(Slot(0) + (15 * 60_000)));
        Assert.Throws<InvalidOperationException>(() => other.Acknowledge(id, "zhang.min", null, Slot(1)));
        Assert.NotEqual(Guid.Empty, raised.Id);

        // A Blue "watch" waits for the desk: below EscalateFrom (Yellow) nobody else is called.
        var blue = Book();
        Step(blue, 0, 1600);
        Assert.Empty(blue.Tick(Slot(0) + (30 * 60_000)));
    }

    [Fact]
    public void A_higher_level_needs_a_new_acknowledgement()
    {
        var book = Book();
        var id = Assert.Single(Step(book, 0, 2100)).Alert.Id;
        book.Acknowledge(id, "li.wei", null, Slot(0));
        var up = Assert.Single(Step(book, 1, 3300));
        Assert.Equal((AlertState.Active, (string?)null), (up.Alert.State, up.Alert.AcknowledgedBy));
    }

    [Fact]
    public void Silence_is_a_data_gap_not_an_all_clear_and_the_alert_keeps_its_level()
    {
        var book = Book(new AlertPolicy { GapMinutes = 15, EscalationStages = 0, ExpireMinutes = 600, RenewMinutes = 15 });
        var raised = Assert.Single(Step(book, 0, 4500)).Alert;
        // The slot ended at +15 min, the next is due at +30; 15 minutes past that without data are still on time.
        Assert.Empty(book.Tick(Slot(0) + (45 * 60_000)));
        var gap = Assert.Single(book.Tick(Slot(0) + (46 * 60_000)));
        Assert.Equal((AlertChangeKind.DataGap, raised.Id, RiskLevel.Red, AlertState.Active), (gap.Kind, gap.Alert.Id, gap.Alert.Level, gap.Alert.State));
        Assert.Contains("no data from Test square for 31 min", gap.Note, StringComparison.Ordinal);
        Assert.Equal(Slot(1), gap.Alert.DataGapSinceMs);
        // Hours of silence: still open, still Red, no cancel of any kind.
        var later = book.Tick(Slot(0) + (5 * 3_600_000L));
        Assert.DoesNotContain(later, c => c.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired or AlertChangeKind.DataGap);
        Assert.Equal((raised.Id, RiskLevel.Red), (Assert.Single(book.Open).Id, book.Open[0].Level));
        // Data again, still dangerous: the same alert carries on (no new raise, acknowledgement kept).
        var back = Step(book, 20, 4400);
        var resumed = Assert.Single(back);
        Assert.Equal((AlertChangeKind.DataResumed, raised.Id), (resumed.Kind, resumed.Alert.Id));
        Assert.Null(book.Open[0].DataGapSinceMs);
    }

    [Fact]
    public void Only_data_below_the_level_for_the_quiet_slots_clear_an_alert_after_a_gap()
    {
        var book = Book(new AlertPolicy { GapMinutes = 15, EscalationStages = 0, ExpireMinutes = 600, RenewMinutes = 15 });
        Step(book, 0, 4500);
        book.Tick(Slot(4));
        Assert.Contains(Step(book, 5, 500), c => c.Kind == AlertChangeKind.DataResumed);
        Assert.Empty(Step(book, 6, 500));
        var cleared = Assert.Single(Step(book, 7, 500));
        Assert.Equal(AlertChangeKind.Resolved, cleared.Kind);
    }

    [Fact]
    public void Open_alerts_are_listed_by_level_then_density_then_capacity_use()
    {
        var book = Book();
        var a = new Alerts.Places.Place("zone:a", "甲", "A", Square.Ring);
        var b = new Alerts.Places.Place("zone:b", "乙", "B", Square.Ring);
        var c = new Alerts.Places.Place("zone:c", "丙", "C", Square.Ring);
        // A: Red by capacity (1.1/m², 110%) raised first; B: Red by density (4.7/m²); C: Orange.
        book.Assess([TriggerEvaluation.Evaluate(At(0, 1100, capacity: 1000, place: a), Rules)], Slot(0));
        book.Assess([TriggerEvaluation.Evaluate(At(1, 4700, capacity: 10000, place: b), Rules), TriggerEvaluation.Evaluate(At(1, 3100, capacity: null, place: c), Rules)], Slot(1));
        Assert.Equal(["zone:b", "zone:a", "zone:c"], book.Open.Select(x => x.Place.Id));
    }

    [Fact]
    public void An_operator_resolution_holds_until_the_place_clears_or_gets_worse()
    {
        var book = Book();
        var id = Assert.Single(Step(book, 0, 3200)).Alert.Id;
        var resolved = book.Resolve(id, "li.wei", "barriers up, crowd controlled", Slot(0) + 60_000);
        Assert.Equal((AlertChangeKind.Resolved, "li.wei"), (resolved.Kind, resolved.Actor));
        Assert.Empty(Step(book, 1, 3200)); // still Orange: not raised again
        var red = Assert.Single(Step(book, 2, 4100)); // worse: a new alert
        Assert.Equal((AlertChangeKind.Raised, RiskLevel.Red), (red.Kind, red.Alert.Level));
        Assert.NotEqual(id, red.Alert.Id);
    }

    [Fact]
    public void Restored_alerts_carry_on_after_a_restart()
    {
        var book = Book();
        var raised = Assert.Single(Step(book, 0, 3200)).Alert;
        var again = Book();
        again.Restore([raised]);
        Assert.Empty(Step(again, 1, 3100));
        Assert.Equal(raised.Id, Assert.Single(again.Open).Id);
    }
}
