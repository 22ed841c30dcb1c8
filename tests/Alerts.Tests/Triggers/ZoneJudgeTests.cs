using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Alerts.Tests.Triggers;

public class ZoneJudgeTests
{
    private const long Start = 1_759_248_000_000; // 2025-10-01 00:00 +08:00
    private const int PerDay = 96;

    // One zone of 2 x 2 cells of 100 m with room for 20 000 people.
    private static Area Plaza()
    {
        var settings = new AreaSettings { Name = "test", Grid = new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 800 } };
        var grid = Grid.Create(settings.Grid);
        var square = UnaryUnionOp.Union(new[] { (3, 4), (3, 5), (4, 4), (4, 5) }.Select(rc => (Geometry)grid.CellPolygon(grid.CellAt(rc.Item1, rc.Item2))).ToList());
        return new Area(settings, [], [new Zone("plaza", square, 20_000, null, null)]);
    }

    // Three days of the zone's people and map searches, slot by slot.
    private static SlotPanel Panel(Func<int, double> people, Func<int, double> searches, int slots = 3 * PerDay) =>
        new(["plaza"], Start, 15, [[.. Enumerable.Range(0, slots).Select(people)]], [[.. Enumerable.Range(0, slots).Select(searches)]]);

    [Fact]
    public void Judging_a_slot_reads_nothing_after_it()
    {
        var judge = new ZoneJudge(Plaza(), new TriggerRules(), 0.1);
        var t = (2 * PerDay) + 70;
        // Quiet up to t, then a crowd and a storm of searches that a judge looking ahead would see.
        var whole = Panel(i => i <= t ? 3_000 + (i % 7) : 30_000, i => i <= t ? 100 : 5_000);
        var cut = whole.Take(t + 1);

        var ahead = Assert.Single(judge.Judge(whole, t, _ => null, null));
        var atT = Assert.Single(judge.Judge(cut, t, _ => null, null));
        Assert.Equal(atT.Observed, ahead.Observed);
        Assert.Equal(atT.Held, ahead.Held);
        Assert.Equal(atT.Triggers, ahead.Triggers);
        Assert.Equal(atT.Slot.People, ahead.Slot.People);
        Assert.Equal(atT.Slot.PeopleBefore, ahead.Slot.PeopleBefore);
        Assert.Equal(atT.Slot.SearchSameSlot, ahead.Slot.SearchSameSlot);
        Assert.Equal(RiskLevel.None, ahead.Observed);
    }

    [Fact]
    public void A_zone_past_its_capacity_is_Red_and_its_search_baseline_is_the_same_slot_on_the_days_before_oldest_first()
    {
        var area = Plaza();
        var judge = new ZoneJudge(area, new TriggerRules(), 0.1);
        var t = (2 * PerDay) + 80;
        var a = Assert.Single(judge.Judge(Panel(i => i == t ? 21_000 : 3_000, i => i), t, _ => null, null));

        Assert.Equal("zone:plaza", judge.Places[0].Id);
        Assert.Equal(RiskLevel.Red, a.Observed);
        Assert.Equal(21_000, a.Slot.People);
        // Two days of history before the slot: the same slot of day on each, oldest first.
        Assert.Equal([t - (2 * PerDay), t - PerDay], a.Slot.SearchSameSlot);
        Assert.Equal(t, a.Slot.Search);
        // Red begins where the capacity is reached before 4 persons/m² (whichever comes first).
        var walkable = area.Zones.ZoneWalkableM2(0, area.WalkableM2);
        Assert.Equal(Math.Min(4.0 * walkable, 20_000), judge.Levels[0][3], 6);
    }
}
