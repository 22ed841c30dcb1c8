using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Live;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Tests.Live;

public class HeatFrameDiffTests
{
    private static readonly double[] Walkable = [1000, 1000, 1000, 1000];

    [Fact]
    public void A_frame_carries_only_cells_that_changed_and_emptied_cells_as_zeros()
    {
        var before = HeatFrameDiff.View([100, 2500, 0, 300], Walkable, new KThreshold(10), LevelThresholds.Default);
        var now = HeatFrameDiff.View([100, 3500, 50, 0], Walkable, new KThreshold(10), LevelThresholds.Default);
        var changes = HeatFrameDiff.Changes(before, now);
        // Cell 0 is unchanged; 1 rose to 3.5/m² (Orange), 2 is new, 3 emptied.
        Assert.Equal([1, 2, 3], changes.Select(c => c.C));
        Assert.Equal(new HeatCell(1, 3500, 3.5, (byte)RiskLevel.Orange), changes[0]);
        Assert.Equal(new HeatCell(3, 0, 0, 0), changes[2]);
        Assert.Empty(HeatFrameDiff.Changes(now, now));
    }

    [Fact]
    public void Cells_under_k_go_out_without_numbers()
    {
        var view = HeatFrameDiff.View([4, 40, 0, 0], Walkable, new KThreshold(10), LevelThresholds.Default);
        Assert.Equal(new HeatCell(0, null, null, 0), view[0]);
        Assert.Equal(40, view[1].P);
        Assert.Equal(2, view.Length);
    }

    [Fact]
    public void A_frame_packs_gaps_people_and_levels_and_reads_them_back()
    {
        HeatCell[] cells = [new(3, 12.4, 0.1, 1), new(4, null, null, 0), new(5, 0, 0, 0), new(9_998, 40_000, 9, 4)];
        var frame = HeatFrame.Of("a", "s", 0, false, cells);
        // 3, (13 << 3) | 1; 1, 0 (under k); 1, 1 << 3 (emptied); 9 993 and 40 001 << 3 | 4 in two and three bytes.
        Assert.Equal([3, 105, 1, 0, 1, 8, 0x89, 0x4e, 0x8c, 0xc4, 0x13], frame.Cells);
        Assert.Equal(4, frame.Count);
        Assert.Equal([(3, (int?)12, 1), (4, null, 0), (5, 0, 0), (9_998, 40_000, 4)], frame.Rows());
    }

    [Fact]
    public void A_frame_refuses_cells_out_of_order()
    {
        Assert.Throws<ArgumentException>(() => HeatFrame.Of("a", "s", 0, false, [new(5, 1, 0, 0), new(4, 1, 0, 0)]));
    }
}
