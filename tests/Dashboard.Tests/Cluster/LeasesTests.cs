using CrowdWatch.Dashboard.Cluster;

namespace CrowdWatch.Dashboard.Tests.Cluster;

public class LeasesTests
{
    private static readonly string[] Live = ["node-1", "node-2", "node-3"];

    [Fact]
    public void Every_resource_is_dealt_to_exactly_one_live_node_and_the_shares_differ_by_one_at_most()
    {
        foreach (var fromLast in new[] { false, true })
        {
            var shares = Live.ToDictionary(n => n, n => Enumerable.Range(0, 10).Count(i => Leases.IsDealt(i, Live, n, fromLast)));
            Assert.Equal(10, shares.Values.Sum());
            Assert.True(shares.Values.Max() - shares.Values.Min() <= 1, string.Join(", ", shares));
            Assert.All(Enumerable.Range(0, 10), i => Assert.Single(Live, n => Leases.IsDealt(i, Live, n, fromLast)));
        }
    }

    [Fact]
    public void Areas_dealt_from_the_last_node_start_apart_from_the_first_partitions_and_a_node_not_live_gets_nothing()
    {
        Assert.True(Leases.IsDealt(0, Live, "node-1"));
        Assert.True(Leases.IsDealt(0, Live, "node-3", fromLast: true));
        Assert.False(Leases.IsDealt(0, Live, "node-1", fromLast: true));
        Assert.DoesNotContain(Enumerable.Range(0, 10), i => Leases.IsDealt(i, Live, "node-9"));
        // One node left: it holds everything.
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(Leases.IsDealt(i, ["node-2"], "node-2", fromLast: i % 2 == 0)));
    }
}
