using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class DeploymentFileTests
{
    [Fact]
    public void A_deployment_holds_several_named_areas_each_with_its_own_grid()
    {
        using var d = new TestDeployment();
        var path = d.File_("two.json");
        File.WriteAllText(path, """
        { "areas": [
            { "name": "yuzhong", "bounds": [106.55, 29.54, 106.60, 29.58], "slotMinutes": 15 },
            { "name": "ciqikou", "centre": [106.45, 29.579], "widthM": 1500, "heightM": 1000, "cellSizeM": 50,
              "epsg": 4545, "slotMinutes": 30, "k": 20 } ] }
        """);

        var file = DeploymentFile.Load(path);
        var yuzhong = file.BuildArea("yuzhong", []);
        var ciqikou = file.BuildArea("ciqikou", []);

        Assert.Equal(["yuzhong", "ciqikou"], file.Entries.Select(e => e.Settings.Name));
        Assert.Equal(32648, yuzhong.Grid.Spec.Epsg);
        Assert.Equal(4545, ciqikou.Grid.Spec.Epsg);
        Assert.Equal(50, ciqikou.Grid.Spec.CellSizeM);
        Assert.Equal(30, ciqikou.Settings.SlotMinutes);
        Assert.Equal(20, ciqikou.K.K);
        Assert.Null(yuzhong.Grid.Locate(106.45, 29.579));
        Assert.NotNull(ciqikou.Grid.Locate(106.45, 29.579));
        Assert.Equal("yuzhong", file.BuildArea(null, []).Name);
        Assert.Contains("no area named 'jiefangbei'", Assert.Throws<InvalidDataException>(() => file.BuildArea("jiefangbei", [])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6] } ] }""", "areas[0]: 'bounds' must be")]
    [InlineData("""{ "areas": [ { "name": "a" } ] }""", "areas[0]: give 'bounds'")]
    [InlineData("""{ "areas": [ { "name": "a b", "bounds": [106.5, 29.5, 106.6, 29.6] } ] }""", "letters, digits")]
    [InlineData("""{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6], "slotMinutes": 7 } ] }""", "slotMinutes 7")]
    [InlineData("""{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6], "timeZone": "Asia/Chongqin" } ] }""", "Asia/Chongqin")]
    [InlineData("""{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6] }, { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6] } ] }""", "used twice")]
    [InlineData("""{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6], "cellSizeM": "big" } ] }""", "line 1")]
    [InlineData("""{ "areas": [] }""", "at least one area")]
    public void Bad_deployment_files_are_refused_naming_the_file_and_field(string json, string expected)
    {
        using var d = new TestDeployment();
        var path = d.File_("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidDataException>(() => DeploymentFile.Load(path));
        Assert.Contains("bad.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_mercator_area_is_refused_when_the_area_is_built()
    {
        using var d = new TestDeployment();
        var path = d.File_("merc.json");
        File.WriteAllText(path, """{ "areas": [ { "name": "a", "bounds": [106.5, 29.5, 106.6, 29.6], "epsg": 3857 } ] }""");
        var e = Assert.Throws<InvalidDataException>(() => DeploymentFile.Load(path).BuildArea(null, new List<LayerProblem>()));
        Assert.Contains("Web Mercator", e.Message, StringComparison.Ordinal);
        Assert.Contains("merc.json", e.Message, StringComparison.Ordinal);
    }
}
