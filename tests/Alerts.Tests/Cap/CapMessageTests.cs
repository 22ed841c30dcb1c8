using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using static CrowdWatch.Alerts.Tests.Places;

namespace CrowdWatch.Alerts.Tests.Cap;

public class CapMessageTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly CapOptions Options = new() { Sender = "crowdwatch@cq.example.org", Status = "Exercise", WebBase = "https://crowdwatch.cq.example.org" };
    private static readonly XNamespace Cap = CapMessage.Ns;

    // A forecast raise, an observed update to Red, and the clearance of one alert.
    private static List<AlertChange> Life()
    {
        var book = new AlertBook("chongqing", new AlertPolicy { ClearSlots = 1 });
        var rules = new TriggerRules();
        var changes = new List<AlertChange>();
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(0, 1000, outlook: Flat(0, 2600, 0.9, 0.8, 0.7, 0.2)), rules)], Slot(0)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(1, 4200), rules)], Slot(1)));
        changes.AddRange(book.Assess([TriggerEvaluation.Evaluate(At(2, 300), rules)], Slot(2)));
        return changes;
    }

    private static string Write(AlertChange c) =>
        CapMessage.Write(c, Playbook.Default.For(c.Alert.Place.Id, c.Alert.Level), Options, Shanghai) ?? throw new InvalidOperationException("no message");

    [Fact]
    public void Raise_update_and_cancel_validate_against_the_CAP_1_2_schema()
    {
        var life = Life();
        Assert.Equal([AlertChangeKind.Raised, AlertChangeKind.Updated, AlertChangeKind.Resolved], life.Select(c => c.Kind));
        foreach (var c in life)
        {
            var xml = Write(c);
            Assert.Empty(CapSchema.Errors(xml));
        }
    }

    [Fact]
    public void The_schema_check_catches_a_broken_message()
    {
        var xml = Write(Life()[0]).Replace("<msgType>Alert</msgType>", "<msgType>Warning</msgType>", StringComparison.Ordinal);
        Assert.NotEmpty(CapSchema.Errors(xml));
    }

    [Fact]
    public void Messages_carry_explicit_offsets_both_languages_and_the_references_chain()
    {
        var life = Life();
        var docs = life.Select(c => XDocument.Parse(Write(c)).Root!).ToList();
        var (raise, update, cancel) = (docs[0], docs[1], docs[2]);
        Assert.Equal(["Alert", "Update", "Cancel"], docs.Select(d => d.Element(Cap + "msgType")!.Value));
        foreach (var d in docs)
        {
            Assert.EndsWith("+08:00", d.Element(Cap + "sent")!.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("Z<", d.ToString(), StringComparison.Ordinal);
            Assert.Equal(["zh-CN", "en-US"], d.Elements(Cap + "info").Select(i => i.Element(Cap + "language")!.Value));
            Assert.Equal("Exercise", d.Element(Cap + "status")!.Value);
        }

        // The update refers to the raise, the cancel to the update: sender,identifier,sent.
        string Ref(XElement d) => $"{d.Element(Cap + "sender")!.Value},{d.Element(Cap + "identifier")!.Value},{d.Element(Cap + "sent")!.Value}";
        Assert.Null(raise.Element(Cap + "references"));
        Assert.Equal(Ref(raise), update.Element(Cap + "references")!.Value);
        Assert.Equal(Ref(update), cancel.Element(Cap + "references")!.Value);
        Assert.Equal(3, docs.Select(d => d.Element(Cap + "identifier")!.Value).Distinct().Count());

        var info = raise.Elements(Cap + "info").ToList();
        Assert.Equal(["Likely", "Severe"], [info[1].Element(Cap + "certainty")!.Value, info[1].Element(Cap + "severity")!.Value]);
        Assert.Contains("橙色", info[0].Element(Cap + "headline")!.Value, StringComparison.Ordinal);
        Assert.Equal("Safety", info[1].Element(Cap + "category")!.Value);
        Assert.Contains(info[1].Elements(Cap + "parameter"), p => p.Element(Cap + "valueName")!.Value == "levelColour" && p.Element(Cap + "value")!.Value == "orange");
        Assert.Equal(Playbook.General[RiskLevel.Orange].En, info[1].Element(Cap + "instruction")!.Value);
        var updateInfo = update.Elements(Cap + "info").Last();
        Assert.Equal(["Observed", "Extreme", "Immediate"], [updateInfo.Element(Cap + "certainty")!.Value, updateInfo.Element(Cap + "severity")!.Value, updateInfo.Element(Cap + "urgency")!.Value]);
        Assert.Equal("AllClear", cancel.Elements(Cap + "info").Last().Element(Cap + "responseType")!.Value);
    }

    [Fact]
    public void The_area_is_a_closed_lat_lon_polygon_of_at_least_four_points()
    {
        var polygon = XDocument.Parse(Write(Life()[0])).Descendants(Cap + "polygon").First().Value;
        var points = polygon.Split(' ');
        Assert.True(points.Length >= 4);
        Assert.Equal(points[0], points[^1]);
        Assert.Equal("29.56,106.57", points[0]); // latitude first
        Assert.Throws<ArgumentException>(() => CapMessage.Polygon([(1, 1), (1, 2)]));
        Assert.Equal("1,1 1,2 2,2 1,1", CapMessage.Polygon([(1, 1), (1, 2), (2, 2)])); // closed when it was not
    }

    [Fact]
    public void Acknowledgements_and_escalations_publish_no_message()
    {
        var book = new AlertBook("chongqing");
        var raised = Assert.Single(book.Assess([TriggerEvaluation.Evaluate(At(0, 3300), new TriggerRules())], Slot(0)));
        var ack = book.Acknowledge(raised.Alert.Id, "li.wei", null, Slot(1));
        Assert.False(CapMessage.Publishes(ack));
        Assert.Null(CapMessage.Write(ack, new Instruction("", ""), Options, Shanghai));
    }
}
