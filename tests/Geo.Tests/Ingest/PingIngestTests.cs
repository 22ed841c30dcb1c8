namespace CrowdWatch.Geo.Tests.Ingest;

public class PingIngestTests
{
    private const string Header = "timestamp,device_id,lat,lon,accuracy_m\n";

    [Theory]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,abc,106.5790,10", "lat", "bad-number")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,,106.5790,10", "lat", "bad-number")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,106.5790,29.5630,10", "lat", "out-of-range")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,29.5630,186.1,10", "lon", "out-of-range")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,29.5630,NaN,10", "lon", "bad-number")]
    [InlineData("2026-10-01T20:01:00,dev-1,29.5630,106.5790,10", "timestamp", "bad-timestamp")]
    [InlineData("2026-13-01T20:01:00+08:00,dev-1,29.5630,106.5790,10", "timestamp", "bad-timestamp")]
    [InlineData("yesterday,dev-1,29.5630,106.5790,10", "timestamp", "bad-timestamp")]
    [InlineData("1759320060000000,dev-1,29.5630,106.5790,10", "timestamp", "bad-timestamp")]
    [InlineData("2026-10-01T20:01:00+08:00,,29.5630,106.5790,10", "device_id", "missing-field")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,29.5630,106.5790,-3", "accuracy_m", "bad-number")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,29.5630,106.5790,900", "accuracy_m", "too-inaccurate")]
    [InlineData("2026-10-01T20:01:00+08:00,dev-1,29.5630", "line", "missing-field")]
    [InlineData("2026-10-01T20:01:00+08:00,\"dev-1,29.5630,106.5790,10", "line", "malformed-csv")]
    public void Each_bad_row_is_rejected_with_line_field_and_reason_and_the_rest_of_the_file_is_kept(string bad, string field, string reason)
    {
        var f = new IngestFixture();
        var report = f.Pings(Header
            + "2026-10-01T20:00:00+08:00,dev-0,29.5630,106.5790,10\n"
            + bad + "\n"
            + "2026-10-01T20:02:00+08:00,dev-2,29.5631,106.5791,\n");

        var rejection = Assert.Single(f.Rejections);
        Assert.Equal(("pings.csv", 3L, field, reason), (rejection.File, rejection.Line, rejection.Field, rejection.Reason));
        Assert.False(string.IsNullOrWhiteSpace(rejection.Detail));
        Assert.Equal(3, report.Rows);
        Assert.Equal(2, report.Accepted);
        Assert.Equal(1, report.RejectedByReason[reason]);
        Assert.Equal(2, f.Closed.Single().Devices!.Sum());
        Assert.Contains($"pings.csv,3,{field},{reason},", f.RejectsCsv.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_in_every_accepted_form_land_in_the_same_slot()
    {
        var f = new IngestFixture();
        f.Pings(Header
            + "2026-10-01T20:05:00+08:00,a,29.5630,106.5790,\n"
            + "2026-10-01T12:06:00Z,b,29.5630,106.5790,\n"
            + "2026-10-01T12:07:00.250+0000,c,29.5630,106.5790,\n"
            + "1790856480,d,29.5630,106.5790,\n"       // 2026-10-01T12:08:00Z in seconds
            + "1790856540000,e,29.5630,106.5790,\n");  // 12:09:00Z in milliseconds

        Assert.Empty(f.Rejections);
        var slot = Assert.Single(f.Closed);
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), slot.SlotStartMs);
        Assert.Equal(5, slot.Devices!.Sum());
    }

    [Fact]
    public void Header_missing_a_required_column_is_a_file_error_naming_the_columns()
    {
        var f = new IngestFixture();
        var report = f.Pings("time,device,latitude\n2026-10-01T20:05:00+08:00,a,29.5630\n");
        Assert.Single(report.FileErrors);
        Assert.Contains("expected timestamp, device_id, lat, lon", report.FileErrors[0], StringComparison.Ordinal);
        Assert.Equal(0, report.Accepted);
    }

    [Fact]
    public void Max_errors_stops_a_hopeless_file_early_and_says_where()
    {
        var f = new IngestFixture();
        var lines = string.Concat(Enumerable.Range(0, 100).Select(i => $"garbage-{i},x,y,z,\n"));
        var report = f.Pings(Header + lines, maxErrors: 5);
        Assert.Equal(5, report.Rejected);
        Assert.Equal(5, report.Rows);
        Assert.Contains("line 6", report.StoppedEarly, StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_order_mark_crlf_and_column_order_are_tolerated()
    {
        var f = new IngestFixture();
        var report = f.Pings("\uFEFFlon,lat,device_id,timestamp\r\n106.5790,29.5630,a,2026-10-01T20:05:00+08:00\r\n");
        Assert.Empty(f.Rejections);
        Assert.Equal(1, report.Accepted);
        Assert.Equal(1, f.Closed.Single().Devices!.Sum());
    }

    [Fact]
    public void Points_outside_the_grid_and_duplicates_are_counted_in_the_summary()
    {
        var f = new IngestFixture();
        var report = f.Pings(Header
            + "2026-10-01T20:05:00+08:00,a,29.5630,106.5790,\n"
            + "2026-10-01T20:05:00+08:00,a,29.5630,106.5790,\n"
            + "2026-10-01T20:06:00+08:00,b,29.9000,106.9000,\n");
        Assert.Equal((3L, 1L, 1L, 0L), (report.Accepted, report.Duplicates, report.OutsideGrid, report.Rejected));
    }

    [Fact]
    public void Ndjson_pings_are_read_and_bad_lines_rejected()
    {
        var f = new IngestFixture();
        var report = f.Pings(
            "{\"timestamp\":\"2026-10-01T20:05:00+08:00\",\"device_id\":\"a\",\"lat\":29.5630,\"lon\":106.5790,\"accuracy_m\":12}\n"
            + "{\"timestamp\":1790856480,\"device_id\":42,\"lat\":29.5631,\"lon\":106.5791,\"extra\":{\"x\":[1,2]}}\n"
            + "{\"timestamp\":\"2026-10-01T20:05:00+08:00\",\"device_id\":\"c\",\n"
            + "{\"timestamp\":\"2026-10-01T20:05:00+08:00\",\"device_id\":\"d\",\"lon\":106.5790}\n"
            + "{\"timestamp\":\"2026-10-01T20:07:00+08:00\",\"device_id\":\"\\u0061\",\"lat\":29.5630,\"lon\":106.5790}\n",
            ndjson: true);
        Assert.Equal(3, report.Accepted);
        Assert.Equal(new[] { (3L, "line", "malformed-json"), (4L, "lat", "bad-number") },
            f.Rejections.Select(r => (r.Line, r.Field, r.Reason)).ToArray());
        Assert.Equal(2, f.Closed.Single().Devices!.Sum());
    }

    [Fact]
    public void Rejects_never_echo_a_device_id_or_a_coordinate()
    {
        var f = new IngestFixture();
        f.Pings(Header
            + "2026-10-01T20:01:00,SECRET-DEVICE-ID-1,29.5630,106.5790,10\n"
            + "2026-10-01T20:01:00+08:00,SECRET-DEVICE-ID-2,106.57123,29.56321,10\n"
            + "2026-10-01T20:01:00+08:00,SECRET-DEVICE-ID-3,29.56321,106.57123,9999\n");
        var text = f.RejectsCsv.ToString();
        Assert.Equal(3, f.Rejections.Count);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("29.56", text, StringComparison.Ordinal);
        Assert.DoesNotContain("106.57", text, StringComparison.Ordinal);
    }
}
