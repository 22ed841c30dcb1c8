using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Delivery;

public class NotificationPlanTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly Recipient[] Recipients =
    [
        new("webhook", "http://127.0.0.1:9/police", ["*"]),
        new("sms", "+861", [Square.Id], RiskLevel.Orange),
        new("sms", "+862", ["zone:elsewhere"]),
        new("sms", "+863", ["*"], RiskLevel.Blue, Stage: 1),
    ];

    private static IReadOnlyList<CrowdWatch.Alerts.Storage.OutboxMessage> Plan(AlertChange c) =>
        NotificationPlan.For(c, Playbook.Default.For(c.Alert.Place.Id, c.Alert.Level), null, Recipients, Shanghai);

    [Fact]
    public void Recipients_hear_of_their_places_from_their_level_and_escalation_reaches_the_next_stage_only()
    {
        var book = new AlertBook("test");
        var rules = new TriggerRules();
        var yellow = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 2100, capacity: null), rules)], Slot(1)));
        Assert.Equal(["http://127.0.0.1:9/police"], Plan(yellow).Select(m => m.Recipient));
        var orange = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(1, 3100, capacity: null), rules)], Slot(2)));
        Assert.Equal(["http://127.0.0.1:9/police", "+861"], Plan(orange).Select(m => m.Recipient));
        var escalated = Assert.Single(book.Tick(Slot(2) + (10 * 60_000)));
        Assert.Equal(["+863"], Plan(escalated).Select(m => m.Recipient));
        var ack = book.Acknowledge(orange.Alert.Id, "li.wei", null, Slot(3));
        Assert.Equal(["http://127.0.0.1:9/police"], Plan(ack).Select(m => m.Recipient)); // machines only
        Assert.All(Plan(orange), m => Assert.Equal((orange.Alert.Id, orange.Alert.Version), (m.AlertId, m.Sequence)));
        Assert.Contains("橙色", Plan(orange).Single(m => m.Channel == "sms").Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_gap_and_a_renewal_reach_the_machines_only_and_never_read_as_lifted()
    {
        var book = new AlertBook("test", new AlertPolicy { EscalationStages = 0, GapMinutes = 15, ExpireMinutes = 60, RenewMinutes = 15 });
        var rules = new TriggerRules();
        var orange = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 3100, capacity: null), rules)], Slot(0)));
        Assert.Contains("+861", Plan(orange).Select(m => m.Recipient));
        // 46 minutes on: the data are late (a gap) and the message, valid for an hour, is due for renewal.
        var ticked = book.Tick(Slot(0) + (46 * 60_000));
        var gap = Assert.Single(ticked, c => c.Kind == AlertChangeKind.DataGap);
        Assert.Equal(["http://127.0.0.1:9/police"], Plan(gap).Select(m => m.Recipient));
        var renewed = Assert.Single(ticked, c => c.Kind == AlertChangeKind.Updated);
        Assert.Equal(["http://127.0.0.1:9/police"], Plan(renewed).Select(m => m.Recipient));
        var sms = SmsTemplate.Default.Render(gap, gap.Alert.Level, Playbook.Default.For(gap.Alert.Place.Id, gap.Alert.Level), "en", Shanghai);
        Assert.DoesNotContain("lifted", sms, StringComparison.Ordinal);
        Assert.Contains("data missing, warning stands", sms, StringComparison.Ordinal);
    }
}

public class SmsTemplateTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Placeholders_are_filled_per_language_and_unknown_ones_kept()
    {
        var book = new AlertBook("test");
        var c = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 3100), new TriggerRules())], Slot(1)));
        var template = new SmsTemplate("{place}{level}预警{event}：{density}人/㎡{capacity}。{instruction}{unknown}", "{level} at {place} {event} {time}");
        var instruction = new Instruction("单向通行", "one-way");
        Assert.Equal("测试广场橙色预警发布：3.1人/㎡，容量103%。单向通行{unknown}", template.Render(c, RiskLevel.Orange, instruction, "zh", Shanghai));
        Assert.Equal("ORANGE at Test square issued 18:15", template.Render(c, RiskLevel.Orange, instruction, "en", Shanghai));
        var lifted = book.Resolve(c.Alert.Id, "li.wei", null, Slot(2));
        Assert.Equal("测试广场橙色预警解除：3.1人/㎡，容量103%。{unknown}", template.Render(lifted, RiskLevel.Orange, instruction, "zh", Shanghai));
    }

}
