using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Alerts.Tests.Risk;

public class LevelThresholdsTests
{
    private static readonly LevelThresholds D = LevelThresholds.Default;

    [Theory]
    [InlineData(1.49, RiskLevel.None)]
    [InlineData(1.5, RiskLevel.Blue)]
    [InlineData(1.99, RiskLevel.Blue)]
    [InlineData(2.0, RiskLevel.Yellow)]
    [InlineData(3.0, RiskLevel.Orange)]
    [InlineData(4.0, RiskLevel.Red)]
    [InlineData(9.0, RiskLevel.Red)]
    public void Density_alone_gives_the_default_levels(double density, RiskLevel expected) => Assert.Equal(expected, D.LevelOf(density));

    [Theory]
    [InlineData(0.69, RiskLevel.None)]
    [InlineData(0.70, RiskLevel.Blue)]
    [InlineData(0.85, RiskLevel.Yellow)]
    [InlineData(0.95, RiskLevel.Orange)]
    [InlineData(1.00, RiskLevel.Red)]
    public void Capacity_use_raises_the_level_even_at_a_low_density(double use, RiskLevel expected) => Assert.Equal(expected, D.LevelOf(0.5, use));

    [Fact]
    public void The_higher_of_density_and_capacity_use_wins() => Assert.Equal(RiskLevel.Orange, D.LevelOf(3.1, 0.75));

    [Fact]
    public void Relief_lowers_every_threshold_by_its_share()
    {
        Assert.Equal(RiskLevel.Yellow, D.LevelOf(2.8));
        Assert.Equal(RiskLevel.Orange, D.LevelOf(2.8, relief: 0.1)); // 3.0 x 0.9 = 2.7
        Assert.Equal(RiskLevel.Yellow, D.LevelOf(2.6, relief: 0.1));
    }

    [Fact]
    public void The_people_at_a_level_are_the_fewer_of_density_and_capacity()
    {
        Assert.Equal(3000, D.PeopleAt(RiskLevel.Orange, 1000, null));
        Assert.Equal(0.95 * 2000, D.PeopleAt(RiskLevel.Orange, 1000, 2000));
        Assert.Equal(double.PositiveInfinity, D.PeopleAt(RiskLevel.Orange, 0, null));
    }

    [Fact]
    public void Thresholds_that_do_not_rise_are_refused_with_the_level_named()
    {
        Assert.True(D.IsValid(out _));
        Assert.False((D with { Orange = 1.8 }).IsValid(out var reason));
        Assert.Contains("orange", reason, StringComparison.Ordinal);
        Assert.False((D with { RedUse = -1 }).IsValid(out reason));
        Assert.Contains("red", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cell_risk_agrees_with_the_level_of_each_density_and_counts_levels()
    {
        var random = new Random(3);
        var n = 10_000;
        var people = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 500).ToArray();
        var area = Enumerable.Range(0, n).Select(i => i % 100 == 0 ? 0 : 50 + (random.NextDouble() * 100)).ToArray();
        var density = new double[n];
        var levels = new RiskLevel[n];
        var counts = CellRisk.Evaluate(people, area, D, density, levels);
        for (var i = 0; i < n; i++)
        {
            var expected = area[i] > 0 ? people[i] / area[i] : 0;
            Assert.Equal(expected, density[i], 12);
            Assert.Equal(D.LevelOf(expected), levels[i]);
        }

        foreach (var level in Enum.GetValues<RiskLevel>()) Assert.Equal(levels.Count(l => l == level), counts[level]);
        Assert.True(counts[RiskLevel.Red] > 0 && counts[RiskLevel.None] > 0);
        Assert.Equal(n - counts[RiskLevel.None], counts.Warned);
    }

    [Fact]
    public void A_zones_own_thresholds_override_the_defaults_level_by_level_and_counts_take_the_nearer_limit()
    {
        var t = LevelThresholds.For(new ZoneThresholds(null, null, 2.5, null, null, null, 0.9, null));
        Assert.Equal((1.5, 2.0, 2.5, 4.0), (t.Blue, t.Yellow, t.Orange, t.Red));
        Assert.Equal((0.70, 0.85, 0.9, 1.0), (t.BlueUse, t.YellowUse, t.OrangeUse, t.RedUse));
        // 6 500 m² and 15 000 people of capacity: Orange at min(2.5 x 6 500, 0.9 x 15 000) = 13 500.
        Assert.Equal([9750, 12750, 13500, 15000], t.CountsAt(6500, 15000));
        Assert.Equal([9750, 13000, 16250, 26000], t.CountsAt(6500, null));
        Assert.Empty(t.CountsAt(0, null));
        Assert.Same(LevelThresholds.Default, LevelThresholds.For(null));
    }
}
