using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class IngestAndHeatmapTests
{
    private static readonly Dictionary<string, string> Key = new() { ["CROWDWATCH_PSEUDONYM_KEY"] = "a-test-key-of-enough-length" };

    // Distinctive raw values that must never appear in any output.
    private const string RawIdPrefix = "RAWID-9f3a7c";
    private const string RawLat = "29.5630417";
    private const string RawLon = "106.5790253";

    private static string Pings()
    {
        var sb = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        // 4 devices at Hongyadong from 20:00 to 20:10 (several pings each), 2 devices 300 m east; one bad row.
        for (var d = 0; d < 4; d++)
            for (var m = 0; m < 10; m += 3)
                sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:{m:00}:{d:00}+08:00,{RawIdPrefix}-{d},{RawLat},{RawLon},12\n");
        for (var d = 10; d < 12; d++)
            sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:05:{d:00}+08:00,{RawIdPrefix}-{d},29.5630,106.5821,8\n");
        sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:06:00,{RawIdPrefix}-99,{RawLat},{RawLon},8\n");
        // Device 0 walks east at 20:20: a movement out of the zone.
        sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:20:00+08:00,{RawIdPrefix}-0,29.5630,106.5821,8\n");
        return sb.ToString();
    }

    [Fact]
    public void Ingest_refuses_to_run_without_a_pseudonym_key_unless_in_sample_mode()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings());
        var (code, _, error) = CliRun.Run("", null, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"), "--out", d.File_("series.csv"));
        Assert.Equal(2, code);
        Assert.Contains("CROWDWATCH_PSEUDONYM_KEY", error, StringComparison.Ordinal);
        Assert.False(File.Exists(d.File_("series.csv")));

        File.WriteAllText(d.File_("short.key"), "too-short\n");
        (code, _, error) = CliRun.Run("", null, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"), "--out", d.File_("series.csv"), "--key-file", d.File_("short.key"));
        Assert.Equal(2, code);
        Assert.Contains("at least 16", error, StringComparison.Ordinal);

        File.WriteAllText(d.File_("good.key"), "a-configured-key-of-enough-length\n");
        (code, _, _) = CliRun.Run("", null, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"), "--out", d.File_("series.csv"), "--key-file", d.File_("good.key"));
        Assert.Equal(0, code);

        (code, _, _) = CliRun.Run("", null, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"), "--out", d.File_("series.csv"), "--sample");
        Assert.Equal(0, code);
        Assert.True(File.Exists(d.File_("series.csv")));
    }

    [Fact]
    public void Ingest_writes_distinct_devices_people_flows_and_a_summary_and_no_raw_id_or_coordinate_reaches_any_output()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings());
        File.WriteAllText(d.File_("searches.csv"), "\uFEFFtimestamp,query,poi_id,count\n2026-10-01T18:00:00+08:00,洪崖洞,hyd,7\n");
        var (code, output, error) = CliRun.Run("", Key, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"),
            "--searches", d.File_("searches.csv"), "--out", d.File_("series.csv"), "--movements", d.File_("movements.csv"), "--summary", d.File_("summary.json"));

        Assert.Equal(0, code);
        var series = File.ReadAllLines(d.File_("series.csv"));
        Assert.Equal("area,slot_start,slot_minutes,cell,row,col,channel,value", series[0]);
        var devices = series.Where(l => l.StartsWith("hongyadong,2026-10-01T20:00:00+08:00,15,", StringComparison.Ordinal) && l.Contains(",devices,", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Split(',')[7], CultureInfo.InvariantCulture)).OrderDescending().ToArray();
        Assert.Equal(new[] { 4, 2 }, devices);
        Assert.Contains(series, l => l.Contains(",people,13.3333", StringComparison.Ordinal)); // 4 devices / panel 0.3
        Assert.Contains(series, l => l.StartsWith("hongyadong,2026-10-01T18:00:00+08:00,15,", StringComparison.Ordinal) && l.EndsWith(",search,7", StringComparison.Ordinal));
        Assert.Contains(series, l => l.StartsWith("hongyadong,2026-10-01T20:15:00+08:00,", StringComparison.Ordinal) && l.Contains(",inflow,1", StringComparison.Ordinal));
        Assert.Contains("hongyadong,2026-10-01T20:15:00+08:00,15,洪崖洞 Hongyadong,,1", File.ReadAllText(d.File_("movements.csv")), StringComparison.Ordinal);

        using var summary = JsonDocument.Parse(File.ReadAllText(d.File_("summary.json")));
        Assert.Equal(1, summary.RootElement.GetProperty("Rejected").GetInt64());
        Assert.Equal(1, summary.RootElement.GetProperty("rejectedByReason").GetProperty("bad-timestamp").GetInt64());
        var rejects = File.ReadAllText(d.File_("series.csv.rejects.csv"));
        Assert.Contains("pings.csv,20,timestamp,bad-timestamp,", rejects, StringComparison.Ordinal);

        Assert.Contains("rows 21, accepted 20", output, StringComparison.Ordinal);
        var everything = string.Concat(Directory.GetFiles(d.Folder).Where(f => !f.EndsWith("pings.csv", StringComparison.Ordinal)).Select(File.ReadAllText)) + output + error;
        Assert.DoesNotContain(RawIdPrefix, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(RawLat, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(RawLon, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Heatmap_renders_png_and_geojson_with_cells_below_k_as_low_density()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings());
        Assert.Equal(0, CliRun.Run("", Key, "ingest", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"), "--out", d.File_("series.csv")).Code);

        var (code, output, error) = CliRun.Run("", null, "heatmap", "-d", d.DeploymentPath, "--series", d.File_("series.csv"),
            "--slot", "2026-10-01T20:07+08:00", "--out", d.File_("map.png"), d.File_("map.geojson"));

        Assert.True(code == 0, error);
        // 4 devices (13.3 people at a panel factor of 0.3) and 2 devices: both under k = 10 devices, so no number at all,
        // and the map still renders.
        Assert.Contains("0 cells shown, 2 LOW_DENSITY", output, StringComparison.Ordinal);
        var png = File.ReadAllBytes(d.File_("map.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.True(png.Length > 20_000);

        using var geo = JsonDocument.Parse(File.ReadAllText(d.File_("map.geojson")));
        Assert.Equal("2026-10-01T20:00:00+08:00", geo.RootElement.GetProperty("properties").GetProperty("slot_start").GetString());
        var features = geo.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.Equal(2, features.Count);
        Assert.All(features, f =>
        {
            Assert.Equal("LOW_DENSITY", f.GetProperty("dataType").GetString());
            Assert.False(f.TryGetProperty("people", out _));
            Assert.False(f.TryGetProperty("density", out _));
        });
    }

    [Fact]
    public void Heatmap_renders_a_slot_where_no_cell_is_below_k()
    {
        using var d = new TestDeployment();
        // One cell well above k and none below it, written as a series directly.
        File.WriteAllText(d.File_("series.csv"), "area,slot_start,slot_minutes,cell,row,col,channel,value\n"
            + "hongyadong,2026-10-01T20:00:00+08:00,15,220,10,10,devices,40\nhongyadong,2026-10-01T20:00:00+08:00,15,220,10,10,people,133.3\n");
        var (code, output, error) = CliRun.Run("", null, "heatmap", "-d", d.DeploymentPath, "--series", d.File_("series.csv"),
            "--slot", "2026-10-01T20:00+08:00", "--out", d.File_("map.png"));
        Assert.True(code == 0, error);
        Assert.Contains("1 cells shown, 0 LOW_DENSITY", output, StringComparison.Ordinal);
        Assert.True(new FileInfo(d.File_("map.png")).Length > 20_000);
    }

    [Fact]
    public void Charts_use_an_installed_cjk_font_so_chinese_zone_names_are_text_not_boxes()
    {
        // scripts/test.sh installs fonts-noto-cjk; without it Chinese names would render as empty boxes.
        Assert.True(CrowdWatch.Dashboard.Charts.ChartFont.HasCjk, "no CJK font found in " + string.Join(", ", CrowdWatch.Dashboard.Charts.ChartFont.Candidates));
        var typeface = ScottPlot.Fonts.GetTypeface(CrowdWatch.Dashboard.Charts.ChartFont.Family, false, false);
        Assert.True(typeface.ContainsGlyphs("洪崖洞"));
    }
}

