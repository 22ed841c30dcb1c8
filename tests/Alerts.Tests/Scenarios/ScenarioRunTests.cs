using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Scenarios;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Zones;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace CrowdWatch.Alerts.Tests.Scenarios;

public class ScenarioRunTests
{
    private const long From = 1_759_305_600_000; // 2025-10-01 16:00 +08:00

    // 10 x 8 cells of 100 m, 3 500 walkable m² each (no surveyed layer: 35 m passages); a square zone of 2 x 2 cells in the middle.
    private static (WalkNetwork Network, int[] Zone) City(int? capacity = 20_000)
    {
        var settings = new AreaSettings { Name = "test", Grid = new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 800 } };
        var grid = Grid.Create(settings.Grid);
        int[] cells = [.. new[] { (3, 4), (3, 5), (4, 4), (4, 5) }.Select(rc => grid.CellAt(rc.Item1, rc.Item2).Id)];
        var square = UnaryUnionOp.Union(cells.Select(c => (Geometry)grid.CellPolygon(grid.CellAt(c))).ToList());
        var area = new Area(settings, [], [new Zone("plaza", square, capacity, null, null)]);
        return (new WalkNetwork(area, [LevelThresholds.Default]), [.. cells.Order()]);
    }

    private static ScenarioPlan Plan(WalkNetwork network, Func<int, int, double> demand, int steps = 24, int minutes = 5,
        ScenarioEvent[]? events = null, ScenarioClosure[]? closures = null, AdmissionLimit[]? admissions = null) =>
        new("test", From, minutes, [.. Enumerable.Range(0, steps + 1).Select(i => Enumerable.Range(0, network.Cells).Select(c => demand(i, c)).ToArray())], 60,
            events ?? [], closures ?? [], admissions ?? []);

    private static double Sum(float[] cells) => cells.Sum(v => (double)v);

    [Fact]
    public void Without_changes_the_crowd_follows_its_baseline_as_people_come_and_go()
    {
        var (network, _) = City();
        var plan = Plan(network, (i, c) => 100 + (c % 7 * 30) + (i * (c % 3) * 20));
        var outcome = ScenarioRun.Simulate(network, plan);
        for (var i = 0; i <= plan.Steps; i++)
            for (var c = 0; c < network.Cells; c++)
                Assert.Equal(plan.Demand[i][c], outcome.Cells[i][c], 0.05);
    }

    [Fact]
    public void Closing_a_zone_moves_its_people_to_the_neighbouring_cells_and_loses_nobody()
    {
        var (network, zone) = City();
        var plan = Plan(network, (_, c) => zone.Contains(c) ? 3000 : 200,
            closures: [new ScenarioClosure("plaza", zone, From, From + (3_600_000 * 24))]);
        var outcome = ScenarioRun.Simulate(network, plan);
        var total = Sum(outcome.Cells[0]);
        var ring = Enumerable.Range(0, network.Cells).Where(c => !zone.Contains(c) && network.Neighbours[c].Any(zone.Contains)).ToArray();
        Assert.Equal(8, ring.Length);
        foreach (var step in outcome.Cells) Assert.Equal(total, Sum(step), total * 1e-6);
        Assert.All(zone, c => Assert.True(outcome.Cells[^1][c] < 1, $"cell {c} still holds {outcome.Cells[^1][c]}"));
        // The 12 000 people of the zone went to the ring around it, not further.
        var gained = ring.Sum(c => outcome.Cells[^1][c] - 200.0);
        Assert.InRange(gained, 11_900, 12_000.01);
        Assert.Equal(RiskLevel.None, outcome.Zones[0].Levels[^1]);
    }

    [Fact]
    public void Event_attendees_queue_outside_when_the_entries_are_too_narrow()
    {
        var (network, zone) = City(capacity: null);
        var venue = zone.Take(1).ToArray();
        var widths = network.Edges.Where(e => e.A == venue[0] || e.B == venue[0]).Sum(e => e.WidthM);
        var perMinute = widths * network.Flow.PersonsPerMetreMinute;
        var ev = new ScenarioEvent("concert", venue, 15_000, From + 60_000, From + (12 * 60_000), 1, 5);
        var plan = Plan(network, (_, _) => 0, steps: 20, minutes: 1, events: [ev]);
        var outcome = ScenarioRun.Simulate(network, plan);
        // Everyone arrives in the first minute; the entries let in at most width x 82 a minute, the rest wait outside.
        Assert.InRange(outcome.Cells[1][venue[0]], perMinute * 0.99, perMinute * 1.0001);
        var outside = Sum(outcome.Cells[1]) - outcome.Cells[1][venue[0]];
        Assert.Equal(15_000 - perMinute, outside, 1);
        Assert.Equal(15_000, outcome.Cells[2][venue[0]], 1);
        Assert.Equal(15_000, Sum(outcome.Cells[10]), 1);
        // After the end they leave, over five minutes.
        Assert.True(Sum(outcome.Cells[14]) is > 5_000 and < 10_000, $"{Sum(outcome.Cells[14]):0} at 14 min");
        Assert.True(Sum(outcome.Cells[^1]) < 1, $"{Sum(outcome.Cells[^1]):0} left");
    }

    [Fact]
    public void An_admission_limit_caps_people_let_in_and_counts_those_turned_away()
    {
        var (network, zone) = City();
        var ramp = Plan(network, (i, c) => zone.Contains(c) ? 500 + (i * 250) : 100);
        var free = ScenarioRun.Simulate(network, ramp);
        var limited = ScenarioRun.Simulate(network, ramp with { Admissions = [new AdmissionLimit(0, 40)] });
        var z = limited.Zones[0].People;
        // Admitted 40 a minute, 200 a step; a share step/dwell leaves meanwhile.
        for (var i = 1; i < z.Length; i++) Assert.True(z[i] - z[i - 1] <= 200 + 1e-6, $"step {i}: {z[i] - z[i - 1]:0.0} let in");
        Assert.True(limited.Zones[0].PeakPeople < free.Zones[0].PeakPeople * 0.7);
        Assert.True(limited.Zones[0].TurnedAway > 5_000, $"{limited.Zones[0].TurnedAway:0} turned away");
        Assert.Equal(0, free.Zones[0].TurnedAway);
    }

    [Fact]
    public void Thirty_percent_more_visitors_give_the_red_warning_earlier()
    {
        var (network, zone) = City();
        Func<int, int, double> ramp = (i, c) => zone.Contains(c) ? 1000 + (i * 200) : 100;
        var baseline = ScenarioRun.Simulate(network, Plan(network, ramp));
        var more = ScenarioRun.Simulate(network, Plan(network, (i, c) => ramp(i, c) * (zone.Contains(c) ? 1.3 : 1)));
        var red = (int)RiskLevel.Red - 1;
        Assert.NotNull(baseline.Zones[0].FirstWarningAt[red]);
        Assert.NotNull(more.Zones[0].FirstWarningAt[red]);
        Assert.True(more.Zones[0].FirstWarningAt[red] < baseline.Zones[0].FirstWarningAt[red]);
        Assert.True(more.Zones[0].PeakPeople > baseline.Zones[0].PeakPeople * 1.29);
        Assert.Equal(RiskLevel.Red, more.Zones[0].MaxLevel);
    }

    [Fact]
    public void The_recommended_admission_limit_keeps_every_zone_below_orange_and_is_no_lower_than_needed()
    {
        var (network, zone) = City();
        var plan = Plan(network, (i, c) => zone.Contains(c) ? 1000 + (i * 250) : 100, steps: 36);
        var outcome = ScenarioRun.Simulate(network, plan);
        Assert.Equal(RiskLevel.Red, outcome.MaxLevel);
        var advice = AdmissionAdvice.Recommend(network, outcome);
        var limit = Assert.Single(advice.Limits);
        Assert.Empty(advice.Unreachable);
        Assert.True(advice.Checked.MaxLevel < RiskLevel.Orange, $"still {advice.Checked.MaxLevel}");
        Assert.True(limit.PeoplePerMinute > 0);
        // A tenth more a minute would reach Orange: the limit is tight, not merely safe.
        var looser = ScenarioRun.Simulate(network, plan with { Admissions = [limit with { PeoplePerMinute = (limit.PeoplePerMinute * 1.1) + 2 }] });
        Assert.True(looser.MaxLevel >= RiskLevel.Orange, $"{looser.Zones[0].PeakPeople:0} people at {limit.PeoplePerMinute * 1.1:0}/min");
    }
}
