using System.Globalization;
using System.Text;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Geo.Tests.Ingest;

public class RecordTimeRuleTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("9999-12-31T23:00+00:00")]
    [InlineData("0001-01-01T00:00-14:00")]
    [InlineData("2100-01-01T00:00Z")]
    [InlineData("1999-12-31T23:59+00:00")]
    public void The_minute_form_is_held_to_the_same_years_as_every_other_form(string text)
    {
        Assert.False(Instants.TryParse(text, out _));
        Assert.False(Timestamps.TryParse(text, out _, out var problem));
        Assert.Contains("2000..2099", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-10-01T20:15+08:00", "2026-10-01T20:15:00+08:00")]
    [InlineData("2026-10-01T12:15Z", "2026-10-01T12:15:00Z")]
    [InlineData("2026-10-01T12:15-0330", "2026-10-01T12:15:00-03:30")]
    public void The_minute_form_reads_as_the_same_instant_as_with_seconds(string minute, string seconds)
    {
        Assert.True(Instants.TryParse(minute, out var a));
        Assert.True(Timestamps.TryParse(minute, out var b, out _));
        Assert.Equal(Ms(seconds), a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("2026-10-01T20:15.5+08:00")]
    [InlineData("2026-10-01T20:15:+08:00")]
    [InlineData("2026-10-01T20:61+08:00")]
    [InlineData("0000-01-01T00:00Z")]
    [InlineData("0000-02-29T00:00:00+08:00")]
    public void A_malformed_minute_form_is_refused(string text) => Assert.False(Timestamps.TryParse(text, out _, out _));

    [Fact]
    public void A_record_dated_far_ahead_of_the_clock_is_refused_and_the_feed_goes_on_taking_current_records()
    {
        var clock = new FixedClock(DateTimeOffset.Parse("2026-10-01T20:10:00+08:00", CultureInfo.InvariantCulture));
        var closed = new List<SlotCounts>();
        var rejections = new List<Rejection>();
        var report = new IngestReport();
        using var binner = new PingBinner("t", IngestFixture.Grid, SlotClock.Create(15, "Asia/Shanghai"), null, PingBinnerOptions.Default, closed.Add);
        var ingest = new PingIngest(new DeviceDirectory(new Pseudonymiser(PseudonymKey.Parse("test-key-0123456789abcdef"))), binner, 150, TimeSpan.FromHours(2))
        {
            Future = new FutureBound(clock, TimeSpan.FromMinutes(10)),
        };
        void Post(string csv)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes("timestamp,device_id,lat,lon\n" + csv));
            ingest.ReadCsv(stream, "pings.csv", new RejectLog(report, observer: rejections.Add));
        }

        // One post holds a ping of 2099; the long-lived binner must not move to it.
        Post("2026-10-01T20:01:00+08:00,a,29.5630,106.5790\n2099-01-01T00:00:00+08:00,x,29.5630,106.5790\n2026-10-01T20:19:59+08:00,b,29.5630,106.5790\n");
        var future = Assert.Single(rejections);
        Assert.Equal((2L + 1, "timestamp", FutureBound.Reason), (future.Line, future.Field, future.Reason));
        Assert.Contains("2098-12-31T16:00:00Z", future.Detail, StringComparison.Ordinal);

        // Later posts of current records are all taken (none is late), as the clock moves on.
        clock.Now = clock.Now.AddMinutes(20);
        Post("2026-10-01T20:25:00+08:00,c,29.5630,106.5790\n2026-10-01T20:29:00+08:00,d,29.5630,106.5790\n");
        Assert.Single(rejections);
        Assert.Equal(4, report.Accepted);
        ingest.Complete();
        Assert.Equal([1, 3], closed.Select(c => (int)c.Devices!.Sum()));
    }

    [Fact]
    public void Searches_and_counts_dated_ahead_of_the_clock_are_refused_too()
    {
        var clock = new FixedClock(DateTimeOffset.Parse("2026-10-01T20:10:00+08:00", CultureInfo.InvariantCulture));
        var bound = new FutureBound(clock, TimeSpan.FromMinutes(10));
        var report = new IngestReport();
        var rejections = new List<Rejection>();
        var sums = new SumBinner("t", IngestFixture.Grid.Spec.CellCount, SlotClock.Create(15, "Asia/Shanghai"), TimeSpan.FromHours(1), _ => { });
        using (var s = new MemoryStream(Encoding.UTF8.GetBytes("timestamp,query,lat,lon\n2026-10-01T20:19:00+08:00,q,29.5630,106.5790\n2026-10-01T20:21:00+08:00,q,29.5630,106.5790\n")))
            new SearchIngest(IngestFixture.Grid, sums, null) { Future = bound }.ReadCsv(s, "searches.csv", new RejectLog(report, observer: rejections.Add));
        using (var s = new MemoryStream(Encoding.UTF8.GetBytes("timestamp,cell,inflow\n2026-10-01T20:05:00+08:00,3,4\n2030-10-01T20:05:00+08:00,3,4\n")))
            new CountIngest(IngestFixture.Grid, sums) { Future = bound }.ReadCsv(s, "counts.csv", new RejectLog(report, observer: rejections.Add));
        Assert.Equal([("searches.csv", 3L), ("counts.csv", 3L)], rejections.Select(r => (r.File, r.Line)));
        Assert.All(rejections, r => Assert.Equal(FutureBound.Reason, r.Reason));
        Assert.Equal(2, report.Accepted);
    }

    [Theory]
    [InlineData("1.7e308")]
    [InlineData("1e13")]
    public void A_count_beyond_any_crowd_is_refused_so_that_sums_stay_finite(string value)
    {
        var f = new IngestFixture();
        f.Counts($"timestamp,cell,inflow\n2026-10-01T20:05:00+08:00,3,{value}\n2026-10-01T20:06:00+08:00,3,{value}\n2026-10-01T20:07:00+08:00,3,5\n");
        Assert.Equal([2L, 3L], f.Rejections.Select(r => r.Line));
        Assert.Contains("out of range", f.Rejections[0].Detail, StringComparison.Ordinal);
        Assert.Equal(5, f.Closed.Single().Channels!["counts.inflow"][3]);
    }
}
