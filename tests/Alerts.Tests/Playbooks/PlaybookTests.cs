using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Tests.Playbooks;

public class PlaybookTests
{
    private static readonly Instruction Loop = new("观景平台单向环行", "One-way loop on the viewing decks");

    [Fact]
    public void A_places_own_measures_apply_from_their_level_up_and_the_general_ones_elsewhere()
    {
        var book = new Playbook([new PlaybookStep("zone:hongyadong", RiskLevel.Orange, Loop)]);
        Assert.Equal(Loop, book.For("zone:hongyadong", RiskLevel.Orange));
        Assert.Equal(Loop, book.For("zone:hongyadong", RiskLevel.Red));
        Assert.Equal(Playbook.General[RiskLevel.Yellow], book.For("zone:hongyadong", RiskLevel.Yellow));
        Assert.Equal(Playbook.General[RiskLevel.Orange], book.For("zone:jiefangbei", RiskLevel.Orange));
        Assert.Equal("", book.For("zone:hongyadong", RiskLevel.None).En);
    }
}
