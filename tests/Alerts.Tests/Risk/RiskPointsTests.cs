using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Tests.Risk;

public class RiskPointsTests
{
    private static readonly LevelThresholds D = LevelThresholds.Default;

    // A 10 x 10 grid of 100 m² cells, quiet but for the hot ones given (cell id = row * 10 + col).
    private static List<CellOutlook> Grid(Dictionary<int, double> hot) =>
        [.. Enumerable.Range(0, 100).Select(id => new CellOutlook(id, id / 10, id % 10, 100, 0.5, hot.GetValueOrDefault(id, 0.5), 1000 + id, 0.4, hot.GetValueOrDefault(id, 0.5) + 0.5))];

    [Fact]
    public void Cells_sharing_an_edge_form_one_point_and_separate_groups_rank_by_score()
    {
        // A 2 x 2 block at Orange (rows 1-2, cols 1-2), a lone Red cell far off, and a diagonal neighbour of the block.
        var hot = new Dictionary<int, double> { [11] = 3.2, [12] = 3.1, [21] = 3.0, [22] = 3.4, [88] = 4.5, [33] = 2.1 };
        var points = RiskPoints.Find(Grid(hot), D);
        Assert.Equal(3, points.Count);
        var block = points[0];
        Assert.Equal([11, 12, 21, 22], block.Cells);
        Assert.Equal(RiskLevel.Orange, block.Level);
        Assert.Equal(4, block.Outline.Area, 9);
        Assert.Equal((3.4, 1022L), (block.Peak.Density, block.Peak.AtMs));
        Assert.Equal(1, block.Rank);
        // The lone Red cell: (4.5 - 1.5) x 100 x 5 = 1 500, below the block's ((1.7 + 1.6 + 1.5 + 1.9) x 100 x 4 = 2 680).
        Assert.Equal(1500, points[1].Score, 6);
        Assert.Equal(2680, block.Score, 6);
        Assert.Equal([88], points[1].Cells);
        Assert.Equal(RiskLevel.Red, points[1].Level);
        // Touching the block only at a corner, cell 33 is a point of its own.
        Assert.Equal([33], points[2].Cells);
        Assert.Equal([1, 2, 3], points.Select(p => p.Rank));
    }

    [Fact]
    public void Nothing_hot_gives_no_points_and_the_level_chosen_filters()
    {
        Assert.Empty(RiskPoints.Find(Grid([]), D));
        var hot = new Dictionary<int, double> { [5] = 1.6, [50] = 3.5 };
        Assert.Equal(2, RiskPoints.Find(Grid(hot), D).Count);
        Assert.Equal([50], Assert.Single(RiskPoints.Find(Grid(hot), D, RiskLevel.Orange)).Cells);
    }
}
