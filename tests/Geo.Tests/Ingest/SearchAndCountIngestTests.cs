namespace CrowdWatch.Geo.Tests.Ingest;

public class SearchAndCountIngestTests
{
    private const string Poi = "id,name_zh,name_en,aliases,lat,lon\n"
        + "hyd,洪崖洞,Hongyadong,洪崖洞民俗风貌区|Hongya Cave,29.5630,106.5790\n"
        + "jfb,解放碑,Jiefangbei,,29.5575,106.5772\n";

    [Fact]
    public void Search_heat_is_summed_per_cell_from_coordinates_poi_ids_and_named_queries()
    {
        var f = new IngestFixture();
        var gazetteer = IngestFixture.Gazetteer(Poi);
        var report = f.Searches("timestamp,query,lat,lon,poi_id,count\n"
            + "2026-10-01T18:01:00+08:00,洪崖洞夜景,29.5630,106.5790,,5\n"
            + "2026-10-01T18:02:00+08:00,hongyadong,,,hyd,3\n"
            + "2026-10-01T18:03:00+08:00,洪崖洞民俗风貌区,,,,2\n"
            + "2026-10-01T18:04:00+08:00,解放碑,,,jfb,1\n"
            + "2026-10-01T18:05:00+08:00,somewhere,,,nope,1\n"
            + "2026-10-01T18:06:00+08:00,unknown place,,,,1\n"
            + "2026-10-01T18:07:00+08:00,x,29.5630,106.5790,,-1\n",
            gazetteer, prefix: [0xEF, 0xBB, 0xBF]);

        Assert.Equal(4, report.Accepted);
        Assert.Equal(new[] { "unknown-poi", "no-destination", "bad-number" }, f.Rejections.Select(r => r.Reason).ToArray());
        var search = Assert.Single(f.Closed).Search!;
        Assert.Equal(10, search[IngestFixture.Grid.TryLocateCell(106.5790, 29.5630)]);
        Assert.Equal(1, search[IngestFixture.Grid.TryLocateCell(106.5772, 29.5575)]);
    }

    [Fact]
    public void Counts_are_summed_per_named_channel_for_every_kind_of_key()
    {
        var cell = IngestFixture.Grid.TryLocateCell(106.5790, 29.5630);
        var c = IngestFixture.Grid.CellAt(cell);
        var f = new IngestFixture();
        f.Counts($"timestamp,cell,inflow,outflow\n2026-10-01T20:00:00+08:00,{cell},10,4\n2026-10-01T20:05:00+08:00,{cell},5,\n2026-10-01T20:06:00+08:00,{cell},x,1\n2026-10-01T20:06:00+08:00,99999999,1,1\n");
        f.Counts($"timestamp,row,col,inflow\n2026-10-01T20:01:00+08:00,{c.Row},{c.Col},2\n2026-10-01T20:01:00+08:00,{c.Row},-1,2\n");
        f.Counts("timestamp,sensor_id,lat,lon,inflow\n2026-10-01T20:02:00+08:00,gate-7,29.5630,106.5790,3\n");

        Assert.Equal(4, f.Report.Accepted);
        Assert.Equal(new[] { ("inflow", "bad-number"), ("cell", "bad-key"), ("col", "bad-key") }, f.Rejections.Select(r => (r.Field, r.Reason)).ToArray());
        var inflow = f.Closed.Sum(s => s.Channels!.TryGetValue("counts.inflow", out var v) ? v[cell] : 0);
        var outflow = f.Closed.Sum(s => s.Channels!.TryGetValue("counts.outflow", out var v) ? v[cell] : 0);
        Assert.Equal(20, inflow);
        Assert.Equal(4, outflow);
    }

    [Fact]
    public void Count_file_without_a_key_or_values_is_a_file_error()
    {
        var f = new IngestFixture();
        f.Counts("timestamp,inflow\n2026-10-01T20:00:00+08:00,1\n");
        f.Counts("timestamp,cell\n2026-10-01T20:00:00+08:00,1\n");
        Assert.Equal(2, f.Report.FileErrors.Count);
        Assert.Contains("a key", f.Report.FileErrors[0], StringComparison.Ordinal);
        Assert.Contains("no value columns", f.Report.FileErrors[1], StringComparison.Ordinal);
    }
}
