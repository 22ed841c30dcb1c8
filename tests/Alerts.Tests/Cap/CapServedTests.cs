using System.Globalization;
using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Cap;

/// <summary>CAP as a feed reader gets it: the bytes, their validity in time, and the rules Google Public Alerts applies.</summary>
public class CapServedTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly CapOptions Options = new() { Sender = "crowdwatch@cq.example.org", WebBase = "https://crowdwatch.cq.example.org/" };
    private static readonly XNamespace Cap = CapMessage.Ns;

    // A forecast raise five hours ahead, an observed Red, and the all-clear.
    private static List<AlertChange> Life()
    {
        var book = new AlertBook("chongqing", new AlertPolicy { ClearSlots = 1 });
        var rules = new TriggerRules();
        var far = new Outlook(Slot(1), SlotMinutes, [.. Enumerable.Range(0, 24).Select(h => 1000.0 + (h * 150))], [.. Enumerable.Range(0, 24).Select(h => 800.0 + (h * 100))],
            [.. Enumerable.Range(0, 24).Select(h => 1200.0 + (h * 200))], [.. Enumerable.Range(0, 24).Select(h => h == 20 ? new[] { 0.9, 0.8, 0.6, 0.36 } : new[] { 0.2, 0.1, 0.05, 0.01 })], 0.8);
        var changes = new List<AlertChange>();
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(0, 600, outlook: far), rules)], Slot(0)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(1, 4500), rules)], Slot(1)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(2, 300), rules)], Slot(2)));
        return changes;
    }

    private static string Write(AlertChange c) =>
        CapMessage.Write(c, Playbook.Default.For(c.Alert.Place.Id, c.Alert.Level), Options, Shanghai) ?? throw new InvalidOperationException("no message");

    private static long Ms(XElement info, string name) =>
        DateTimeOffset.Parse(info.Element(Cap + name)!.Value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public void Every_message_declares_UTF_8_and_its_bytes_validate_against_the_schema()
    {
        foreach (var c in Life())
        {
            var xml = Write(c);
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml, StringComparison.Ordinal);
            var bytes = CapMessage.Bytes(xml);
            Assert.NotEqual(0xEF, bytes[0]); // no byte-order mark
            Assert.Empty(CapSchema.ErrorsOfBytes(bytes));
        }
    }

    [Fact]
    public void The_byte_check_rejects_a_message_labelled_UTF_16_but_sent_as_UTF_8()
    {
        var xml = Write(Life()[0]).Replace("encoding=\"utf-8\"", "encoding=\"utf-16\"", StringComparison.Ordinal);
        Assert.NotEmpty(CapSchema.ErrorsOfBytes(CapMessage.Bytes(xml)));
    }

    [Fact]
    public void Xmllint_accepts_every_message_as_written_to_a_file()
    {
        var dir = Directory.CreateTempSubdirectory("cap-");
        try
        {
            foreach (var (c, i) in Life().Select((c, i) => (c, i)))
            {
                var file = Path.Combine(dir.FullName, $"{i}.xml");
                File.WriteAllBytes(file, CapMessage.Bytes(Write(c)));
                var (code, output) = CapSchema.Xmllint(file);
                Assert.True(code == 0, output);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_warning_hours_ahead_is_valid_through_its_onset_and_peak_with_margin()
    {
        var raise = Life()[0];
        Assert.Equal(TriggerKind.Forecast, raise.Alert.Trigger.Kind);
        var info = XDocument.Parse(Write(raise)).Root!.Element(Cap + "info")!;
        var (effective, onset, expires) = (Ms(info, "effective"), Ms(info, "onset"), Ms(info, "expires"));
        Assert.True(onset - effective >= 4 * 3_600_000L, "the onset is hours ahead");
        Assert.True(expires >= onset + 3_600_000L, "expires at least an hour past the onset");
        Assert.True(raise.Alert.Peak.Known);
        Assert.True(expires >= raise.Alert.Peak.AtMs + 3_600_000L, "and past the expected peak");
    }

    [Fact]
    public void Google_public_alerts_rules_hold_for_alert_update_and_cancel()
    {
        foreach (var c in Life())
        {
            var root = XDocument.Parse(Write(c)).Root!;
            foreach (var info in root.Elements(Cap + "info"))
            {
                Assert.InRange(info.Element(Cap + "headline")!.Value.Length, 1, CapMessage.HeadlineLimit);
                Assert.False(string.IsNullOrWhiteSpace(info.Element(Cap + "description")?.Value));
                Assert.False(string.IsNullOrWhiteSpace(info.Element(Cap + "instruction")?.Value), $"{c.Kind}: instruction");
                Assert.True(Ms(info, "effective") <= Ms(info, "expires"));
                Assert.Equal($"https://crowdwatch.cq.example.org/alerts/{c.Alert.Id}", info.Element(Cap + "web")!.Value);
            }
        }
    }

    [Fact]
    public void An_open_alert_is_renewed_by_an_update_before_its_message_lapses()
    {
        var book = new AlertBook("chongqing", new AlertPolicy { ExpireMinutes = 60, RenewMinutes = 15, GapMinutes = 600, EscalationStages = 0 });
        var rules = new TriggerRules();
        var raise = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 4500), rules)], Slot(0)));
        var expires = raise.Alert.ExpiresMs;
        Assert.Equal(Slot(0) + 3_600_000L, expires);
        Assert.Empty(book.Tick(expires - (16 * 60_000L)));
        var renewed = Assert.Single(book.Tick(expires - (15 * 60_000L)));
        Assert.Equal(AlertChangeKind.Updated, renewed.Kind);
        Assert.True(renewed.Alert.ExpiresMs > expires);
        Assert.StartsWith("renewed", renewed.Note, StringComparison.Ordinal);
        var update = XDocument.Parse(Write(renewed)).Root!;
        Assert.Equal("Update", update.Element(Cap + "msgType")!.Value);
        Assert.Contains(CapMessage.Identifier(raise.Alert, 1), update.Element(Cap + "references")!.Value, StringComparison.Ordinal);
    }
}
