using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public class DangerLevelsTests
{
    [Fact]
    public void A_zones_own_thresholds_override_the_defaults_level_by_level_and_counts_take_the_nearer_limit()
    {
        var t = DangerLevels.Thresholds(new ZoneThresholds(null, null, 2.5, null, null, null, 0.9, null));
        Assert.Equal((1.5, 2.0, 2.5, 4.0), (t.Blue, t.Yellow, t.Orange, t.Red));
        Assert.Equal((0.70, 0.85, 0.9, 1.0), (t.BlueUse, t.YellowUse, t.OrangeUse, t.RedUse));
        // 6 500 m² and 15 000 people of capacity: Orange at min(2.5 x 6 500, 0.9 x 15 000) = 13 500.
        Assert.Equal([9750, 12750, 13500, 15000], DangerLevels.Counts(t, 6500, 15000));
        Assert.Equal([9750, 13000, 16250, 26000], DangerLevels.Counts(t, 6500, null));
        Assert.Empty(DangerLevels.Counts(t, 0, null));
        Assert.Same(LevelThresholds.Default, DangerLevels.Thresholds(null));
    }
}
