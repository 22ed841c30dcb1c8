using System.Text;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.Tests.CountFiles;

public class WideSeriesTests
{
    private static readonly Area Area = new(new AreaSettings
    {
        Name = "t",
        Grid = new GridDefinition { Centre = (106.5790, 29.5630), WidthM = 1000, HeightM = 1000 },
    }, [], []);

    [Fact]
    public void Rows_round_trip_with_zeros_as_empty_fields_and_all_zero_rows_left_out()
    {
        var writer = new StringWriter { NewLine = "\n" };
        int[] cells = [3, 17, 42];
        WideSeries.WriteHeader(writer, cells);
        var slot = new DateTimeOffset(2025, 10, 1, 20, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        WideSeries.WriteRow(writer, Area, slot, "truth", cells, c => c == 17 ? 0 : c * 1.5);
        WideSeries.WriteRow(writer, Area, slot, "devices", cells, _ => 0);
        Assert.Equal("slot_start,channel,cell_3,cell_17,cell_42\n2025-10-01T20:00:00+08:00,truth,4.5,,63\n", writer.ToString());

        var rows = new List<(long, string, double[])>();
        var log = new RejectLog(new IngestReport());
        var read = WideSeries.Read(new MemoryStream(Encoding.UTF8.GetBytes(writer.ToString())), "h.csv", log, (ms, ch, _, v) => rows.Add((ms, ch, v)));
        Assert.Equal(cells, read);
        var (ms, channel, values) = Assert.Single(rows);
        Assert.Equal((slot, "truth"), (ms, channel));
        Assert.Equal([4.5, 0, 63], values);
    }

    [Fact]
    public void Bad_rows_are_rejected_by_line_and_field_and_the_rest_is_read()
    {
        var text = "slot_start,channel,cell_3,cell_17\n"
            + "2025-10-01T20:00:00+08:00,truth,1,2\n"
            + "2025-10-01T20:15:00+08:00,truth,1\n"
            + "yesterday,truth,1,2\n"
            + "2025-10-01T20:30:00+08:00,truth,x,2\n"
            + "2025-10-01T20:45:00+08:00,truth,3,4\n";
        var rejections = new List<Rejection>();
        var report = new IngestReport();
        var rows = 0;
        WideSeries.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "h.csv", new RejectLog(report, null, long.MaxValue, rejections.Add), (_, _, _, _) => rows++);
        Assert.Equal(2, rows);
        Assert.Equal(3, report.Rejected);
        Assert.Equal([(3L, "line"), (4L, "slot_start"), (5L, "cell_3")], rejections.Select(r => (r.Line, r.Field)));
    }

    [Fact]
    public void A_header_without_cell_columns_is_a_file_error()
    {
        var report = new IngestReport();
        var cells = WideSeries.Read(new MemoryStream("slot_start,channel,temperature\n"u8.ToArray()), "h.csv", new RejectLog(report), (_, _, _, _) => { });
        Assert.Empty(cells);
        Assert.Contains(report.FileErrors, e => e.Contains("expected cell_ID", StringComparison.Ordinal));
    }
}
