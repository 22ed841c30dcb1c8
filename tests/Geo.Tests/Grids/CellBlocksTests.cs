using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Tests.Grids;

public class CellBlocksTests
{
    [Fact]
    public void Every_cell_falls_in_exactly_one_block_and_blocks_are_squares_of_the_side()
    {
        var blocks = new CellBlocks(25, 23, 10);
        Assert.Equal(9, blocks.Count);
        var byBlock = Enumerable.Range(0, 25 * 23).GroupBy(blocks.Of).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Enumerable.Range(0, 9), byBlock.Keys.Order());
        // A full block holds side x side cells; the edges hold the rest.
        Assert.Equal(100, byBlock[0].Count);
        Assert.Equal(10 * 3, byBlock[2].Count);
        Assert.Equal(5 * 3, byBlock[8].Count);
        Assert.All(byBlock[4], c => Assert.True(c / 23 is >= 10 and < 20 && c % 23 is >= 10 and < 20));
    }

    [Fact]
    public void A_side_of_zero_or_of_the_whole_grid_makes_one_block()
    {
        var spec = new GridSpec(32649, 0, 0, 100, 20, 20);
        Assert.Equal(1, CellBlocks.Of(spec, 0).Count);
        Assert.Equal(1, CellBlocks.Of(spec, 20).Count);
        Assert.Equal(4, CellBlocks.Of(spec, 10).Count);
        Assert.Equal(0, CellBlocks.Of(spec, 0).Of(399));
    }
}
