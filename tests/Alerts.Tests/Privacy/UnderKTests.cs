using System.Text.Json;
using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Tests.Cap;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Geo.Privacy;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Privacy;

/// <summary>
/// An alert whose place empties below k before it clears: what leaves the host (CAP, SMS, e-mail, webhooks) carries no
/// number of a slot under k, counted on distinct devices (people × panel factor), not on the scaled estimate.
/// </summary>
public class UnderKTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // k 10 with panel factor 0.3: 20 people are 6 devices (under k), 40 people are 12 (not).
    private static readonly KThreshold Floor = new(10, 0.3);

    private static List<AlertChange> RedThenEmptied(double peopleAfter)
    {
        var book = new AlertBook("chongqing", new AlertPolicy { ClearSlots = 2 });
        var rules = new TriggerRules();
        var changes = new List<AlertChange>();
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(0, 4500) with { Floor = Floor }, rules)], Slot(1)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(1, peopleAfter, before: [4500]) with { Floor = Floor }, rules)], Slot(2)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(2, peopleAfter, before: [4500, peopleAfter]) with { Floor = Floor }, rules)], Slot(3)));
        return changes;
    }

    private static string Cap(AlertChange c) =>
        CapMessage.Write(c, Playbook.Default.For(c.Alert.Place.Id, c.Alert.Level), new CapOptions(), Shanghai) ?? throw new InvalidOperationException("no message");

    private static string[] Parameters(XElement info) =>
        [.. info.Elements(CapMessage.Ns + "parameter").Select(p => p.Element(CapMessage.Ns + "valueName")!.Value)];

    [Fact]
    public void The_all_clear_of_a_place_emptied_under_k_on_devices_publishes_no_density_capacity_or_trend()
    {
        var changes = RedThenEmptied(20);
        Assert.Equal([AlertChangeKind.Raised, AlertChangeKind.Resolved], changes.Select(c => c.Kind));
        var (raise, cancel) = (changes[0], changes[1]);
        Assert.False(raise.Alert.UnderK);
        Assert.True(cancel.Alert.UnderK);

        var xml = Cap(cancel);
        Assert.Empty(CapSchema.Errors(xml));
        foreach (var info in XDocument.Parse(xml).Root!.Elements(CapMessage.Ns + "info"))
        {
            var names = Parameters(info);
            Assert.DoesNotContain("densityPersonsPerM2", names);
            Assert.DoesNotContain("capacityUsePercent", names);
            Assert.DoesNotContain("trendPersonsPerM2PerHour", names);
            Assert.Equal(KThreshold.LowDensity, info.Elements(CapMessage.Ns + "parameter").Single(p => p.Element(CapMessage.Ns + "valueName")!.Value == "densityStatus")
                .Element(CapMessage.Ns + "value")!.Value);
            var description = info.Element(CapMessage.Ns + "description")!.Value;
            Assert.DoesNotContain("0.02", description, StringComparison.Ordinal); // 20 people over 1 000 m²
            Assert.DoesNotContain("of capacity", description, StringComparison.Ordinal);
            Assert.DoesNotContain("容量", description, StringComparison.Ordinal);
        }

        // The raise, at 4 500 people, carries its numbers.
        var raised = XDocument.Parse(Cap(raise)).Root!.Element(CapMessage.Ns + "info")!;
        Assert.Contains("densityPersonsPerM2", Parameters(raised));
        Assert.Contains("capacityUsePercent", Parameters(raised));
    }

    [Fact]
    public void A_place_with_enough_devices_keeps_its_numbers_in_the_all_clear()
    {
        var cancel = RedThenEmptied(40)[^1];
        Assert.Equal(AlertChangeKind.Resolved, cancel.Kind);
        Assert.False(cancel.Alert.UnderK);
        var info = XDocument.Parse(Cap(cancel)).Root!.Element(CapMessage.Ns + "info")!;
        Assert.Contains("densityPersonsPerM2", Parameters(info));
        Assert.Contains("0.04", info.Element(CapMessage.Ns + "description")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_messages_e_mails_and_webhooks_of_a_slot_under_k_carry_no_number_of_it()
    {
        var cancel = RedThenEmptied(20)[^1];
        var instruction = Playbook.Default.For(cancel.Alert.Place.Id, cancel.Alert.Level);
        var sms = SmsTemplate.Default.Render(cancel, cancel.Alert.Level, instruction, "en", Shanghai);
        Assert.DoesNotContain("0.0/m²", sms, StringComparison.Ordinal);
        Assert.Contains("-/m²", sms, StringComparison.Ordinal);
        Assert.DoesNotContain("% of capacity", sms, StringComparison.Ordinal);
        var email = NotificationPlan.Email(cancel, cancel.Alert.Level, instruction, null, "zh", Shanghai);
        Assert.DoesNotContain("容量", JsonDocument.Parse(email).RootElement.GetProperty("body").GetString()!, StringComparison.Ordinal);

        using var hook = JsonDocument.Parse(NotificationPlan.Webhook(cancel, instruction, null));
        var alert = hook.RootElement.GetProperty("alert");
        Assert.Equal(KThreshold.LowDensity, alert.GetProperty("densityStatus").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("density").ValueKind);
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("capacityUse").ValueKind);
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("trendPerHour").ValueKind);

        // The same alert at 40 people (12 devices) sends its numbers.
        var shown = RedThenEmptied(40)[^1];
        using var full = JsonDocument.Parse(NotificationPlan.Webhook(shown, instruction, null));
        Assert.Equal(0.04, full.RootElement.GetProperty("alert").GetProperty("density").GetDouble());
        Assert.Contains("0.0/m²", SmsTemplate.Default.Render(shown, shown.Alert.Level, instruction, "en", Shanghai), StringComparison.Ordinal);
    }
}
