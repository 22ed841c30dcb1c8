using System.Text.Json;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class GridCommandTests
{
    [Fact]
    public void Grid_describe_reports_crs_size_and_cell_count()
    {
        using var d = new TestDeployment();
        var (code, output, error) = CliRun.Run("", null, "grid", "describe", "--deployment", d.DeploymentPath);

        Assert.Equal(0, code);
        Assert.Contains("EPSG:32648 WGS 84 / UTM zone 48N", output, StringComparison.Ordinal);
        Assert.Contains("cell size   100 m", output, StringComparison.Ordinal);
        Assert.Contains("21 rows x 21 cols = 441", output, StringComparison.Ordinal);
        Assert.Contains("zones       1", output, StringComparison.Ordinal);
        Assert.Contains("feature #1 'Broken'", error, StringComparison.Ordinal); // the bad zone is reported, the good one loads
    }

    [Fact]
    public void Grid_describe_json_is_machine_readable()
    {
        var (code, output, _) = CliRun.Run("", null, "grid", "describe", "--bounds", "106.44,29.54,106.595,29.595", "--cell-size", "250", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(32648, doc.RootElement.GetProperty("Epsg").GetInt32());
        Assert.Equal(250, doc.RootElement.GetProperty("CellSizeM").GetDouble());
        Assert.True(doc.RootElement.GetProperty("CellCount").GetInt32() > 1000);
    }

    [Fact]
    public void Grid_locate_writes_projected_coordinates_row_col_and_cell_per_input_line()
    {
        using var d = new TestDeployment();
        var (code, output, error) = CliRun.Run("106.5790 29.5630\nnot a point\n106.9 29.9\n# comment\n106.5772,29.5575\n", null,
            "grid", "locate", "--deployment", d.DeploymentPath);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, code);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        var first = lines[0].Split(' ');
        // PROJ: echo "106.5790 29.5630" | cs2cs -f %.6f +proj=longlat +datum=WGS84 +to +proj=utm +zone=48 +datum=WGS84
        Assert.Equal(652963.710, double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(3271403.903, double.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(5, first.Length);
        Assert.Equal("- - - - -", lines[1]);
        Assert.EndsWith(" - - -", lines[2], StringComparison.Ordinal);
        Assert.Equal(5, lines[3].Split(' ').Length);
    }

    [Fact]
    public void Web_mercator_grid_is_refused_with_a_reason_not_a_stack_trace()
    {
        var (code, _, error) = CliRun.Run("", null, "grid", "describe", "--bounds", "106.44,29.54,106.595,29.595", "--epsg", "3857");
        Assert.Equal(2, code);
        Assert.StartsWith("error: EPSG:3857 is Web Mercator", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_cells_writes_every_cell_as_a_closed_wgs84_polygon()
    {
        using var d = new TestDeployment();
        var (code, output, _) = CliRun.Run("", null, "grid", "cells", "--deployment", d.DeploymentPath, "--out", d.File_("grid.geojson"));

        Assert.Equal(0, code);
        Assert.Contains("441 cells", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(d.File_("grid.geojson")));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(441, features.Count);
        var last = features[^1];
        Assert.Equal(440, last.GetProperty("properties").GetProperty("cell").GetInt32());
        Assert.Equal(20, last.GetProperty("properties").GetProperty("row").GetInt32());
        var ring = last.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().ToList();
        Assert.Equal(5, ring.Count);
        Assert.Equal(ring[0].GetRawText(), ring[4].GetRawText());
        Assert.InRange(features.Sum(f => f.GetProperty("properties").GetProperty("area_m2").GetDouble()), 441 * 10_000.0, 441 * 10_005.0);
    }
}

