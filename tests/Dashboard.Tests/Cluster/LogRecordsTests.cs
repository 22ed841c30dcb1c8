using System.Buffers;
using CrowdWatch.Dashboard.Cluster;

namespace CrowdWatch.Dashboard.Tests.Cluster;

public class LogRecordsTests
{
    [Fact]
    public void Pings_and_sums_read_back_as_written()
    {
        var pings = new ArrayBufferWriter<byte>();
        LogRecords.WritePing(pings, 399, 1_790_000_000_123, UInt128.MaxValue - 5);
        LogRecords.WritePing(pings, 0, -1, 42);
        Assert.Equal(2 * LogRecords.PingBytes, pings.WrittenCount);
        Assert.Equal([(399, 1_790_000_000_123L, UInt128.MaxValue - 5), (0, -1L, (UInt128)42)], LogRecords.ReadPings(pings.WrittenSpan.ToArray()));

        var sums = new ArrayBufferWriter<byte>();
        LogRecords.WriteSum(sums, 7, 1000, "search", 2.5);
        LogRecords.WriteSum(sums, 8, 2000, "搜索", -1);
        Assert.Equal([(7, 1000L, "search", 2.5), (8, 2000L, "搜索", -1.0)], LogRecords.ReadSums(sums.WrittenSpan.ToArray()));
    }

    [Fact]
    public void A_cut_entry_is_refused_not_misread()
    {
        var pings = new ArrayBufferWriter<byte>();
        LogRecords.WritePing(pings, 1, 2, 3);
        Assert.Throws<InvalidDataException>(() => LogRecords.ReadPings(pings.WrittenSpan[..27].ToArray()).ToList());
        var sums = new ArrayBufferWriter<byte>();
        LogRecords.WriteSum(sums, 1, 2, "search", 3);
        Assert.Throws<InvalidDataException>(() => LogRecords.ReadSums(sums.WrittenSpan[..24].ToArray()).ToList());
    }
}
