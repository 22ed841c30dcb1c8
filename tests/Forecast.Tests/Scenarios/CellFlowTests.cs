using CrowdWatch.Forecast.Scenarios;

namespace CrowdWatch.Forecast.Tests.Scenarios;

public class CellFlowTests
{
    // A 4 x 4 grid of cells, each joined to its right and lower neighbour by a passage of the given width.
    private static (CellFlow Flow, int Side) Grid(double widthM, double capacity)
    {
        const int side = 4;
        var edges = new List<FlowEdge>();
        for (var r = 0; r < side; r++)
        {
            for (var c = 0; c < side; c++)
            {
                if (c + 1 < side) edges.Add(new FlowEdge((r * side) + c, (r * side) + c + 1, widthM));
                if (r + 1 < side) edges.Add(new FlowEdge((r * side) + c, ((r + 1) * side) + c, widthM));
            }
        }

        return (new CellFlow(Enumerable.Repeat(capacity, side * side).ToArray(), edges), side);
    }

    [Fact]
    public void Moving_people_between_cells_neither_loses_nor_makes_anyone()
    {
        var (flow, side) = Grid(widthM: 3, capacity: 2000);
        var random = new Random(7);
        var people = Enumerable.Range(0, side * side).Select(_ => random.NextDouble() * 1500).ToArray();
        var target = Enumerable.Range(0, side * side).Select(_ => random.NextDouble() * 1500).ToArray();
        var closed = Enumerable.Range(0, side * side).Select(c => c == 5).ToArray();
        var total = people.Sum();
        for (var step = 0; step < 50; step++)
        {
            var next = flow.Step(people, target, minutes: 5, closed);
            Assert.Equal(total, next.People.Sum(), 6);
            Assert.All(next.People, p => Assert.True(p >= -1e-9 && p <= 2000 + 1e-9, $"a cell holds {p}"));
            people = next.People;
        }

        // Moved at all: the closed cell emptied.
        Assert.Equal(0, people[5], 6);
    }

    [Fact]
    public void No_passage_carries_more_than_its_width_times_82_persons_a_metre_a_minute()
    {
        var flow = new CellFlow([20_000, 20_000], [new FlowEdge(0, 1, WidthM: 2)]);
        var step = flow.Step([10_000, 0], [0, 10_000], minutes: 1);
        // 2 m x 82 persons/m/min x 1 min: 164 cross, the other 9 836 queue where they are.
        Assert.Equal(164, step.AtoB[0], 9);
        Assert.Equal([9_836, 164], step.People);
        Assert.Equal(164 * 5, flow.Step([10_000, 0], [0, 10_000], minutes: 5).AtoB[0], 9);
    }

    [Fact]
    public void A_full_cell_takes_no_more_than_its_space_and_a_closed_one_none()
    {
        var flow = new CellFlow([1000, 1000, 1000], [new FlowEdge(0, 1, 50), new FlowEdge(1, 2, 50)]);
        var step = flow.Step([900, 950, 0], [900, 2000, 2000], minutes: 1, closed: [true, false, false]);
        // Cell 0 is closed: its 900 head for cell 1, which has room for only 50.
        Assert.Equal(50, step.AtoB[0], 9);
        Assert.Equal(1000, step.People[1], 9);
        var into = flow.Step([0, 500, 0], [2000, 0, 2000], minutes: 1, closed: [true, false, false]);
        Assert.Equal(0, into.BtoA[0]);
        Assert.Equal(500, into.AtoB[1], 9);
    }

    [Fact]
    public void Closing_a_cell_moves_its_people_to_its_open_neighbours_first()
    {
        var (flow, side) = Grid(widthM: 10, capacity: 5000);
        var people = new double[side * side];
        var target = Enumerable.Repeat(100.0, side * side).ToArray();
        Array.Fill(people, 100.0);
        people[5] = 3000; // row 1, column 1: neighbours 1, 4, 6 and 9
        var closed = Enumerable.Range(0, side * side).Select(c => c == 5).ToArray();
        var step = flow.Step(people, target, minutes: 1, closed);
        Assert.Equal(0, step.People[5], 6);
        foreach (var neighbour in new[] { 1, 4, 6, 9 }) Assert.Equal(100 + 750, step.People[neighbour], 6);
        // Cells that are not its neighbours get nobody from it in that step.
        Assert.Equal(100, step.People[0], 6);
        Assert.Equal(100, step.People[15], 6);
    }
}
