using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Tests.Series;

public class SlotPanelTests
{
    private static SlotPanel Panel() => new(["a", "b"], 0, 15, [[1, 2, 3, 4], [5, 6, 7, 8]], [[0, 0, 1, 1], [1, 1, 0, 0]], [[1], [0]], [["z"], []]);

    [Fact]
    public void A_history_shows_nothing_past_its_end()
    {
        var history = Panel().Take(2);
        Assert.Equal([1.0, 2.0], history.Values(0).ToArray());
        Assert.Equal([1.0, 1.0], history.Search(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Take(3));
    }

    [Fact]
    public void Skipping_slots_moves_the_start_and_keeps_neighbours_and_zones()
    {
        var later = Panel().Skip(1).Take(2);
        Assert.Equal(15 * 60_000L, later.StartMs);
        Assert.Equal([6.0, 7.0], later.Values(1).ToArray());
        Assert.Equal([0.0, 1.0], later.Search(0).ToArray());
        Assert.Equal([1], later.Neighbours(0));
        Assert.Equal(["z"], later.ZonesOf(0));
    }

    [Fact]
    public void Misshapen_panels_are_refused_with_the_reason()
    {
        Assert.Contains("same number of slots", Assert.Throws<ArgumentException>(() => new SlotPanel(["a", "b"], 0, 15, [[1, 2], [1]])).Message, StringComparison.Ordinal);
        Assert.Contains("indices into the panel", Assert.Throws<ArgumentException>(() => new SlotPanel(["a"], 0, 15, [[1]], neighbours: [[3]])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlotPanel(["a"], 0, 7, [[1]]));
    }
}
