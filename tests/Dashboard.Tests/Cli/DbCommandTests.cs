using System.Globalization;
using System.Text;

namespace CrowdWatch.Dashboard.Tests.Cli;

public class DbCommandTests
{
    private static string Pings()
    {
        var sb = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        // 4 devices at Hongyadong and 2 devices 300 m east between 20:00 and 20:10.
        for (var d = 0; d < 4; d++)
            for (var m = 0; m < 10; m += 3)
                sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:{m:00}:{d:00}+08:00,dev-{d},29.5630417,106.5790253,12\n");
        for (var d = 10; d < 12; d++)
            sb.Append(CultureInfo.InvariantCulture, $"2026-10-01T20:05:{d:00}+08:00,dev-{d},29.5630,106.5821,8\n");
        return sb.ToString();
    }

    [Fact]
    public void Ingest_into_the_store_twice_counts_once_and_export_sums_the_zone_and_the_whole_area()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings());
        var environment = new Dictionary<string, string> { ["Store__DataDirectory"] = d.File_("store") };
        string[] export = ["db", "export", "-d", d.DeploymentPath, "--channel", "devices", "--from", "2026-10-01T20:00+08:00", "--to", "2026-10-01T20:15+08:00", "--exact"];

        var (code, output, error) = CliRun.Run("", environment, "ingest", "--sample", "--store", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"));
        Assert.True(code == 0, error);
        Assert.Contains("embedded store", output, StringComparison.Ordinal);
        var (_, all, _) = CliRun.Run("", environment, export);
        var (_, zone, _) = CliRun.Run("", environment, [.. export, "--zone", "洪崖洞 Hongyadong"]);

        // The same file again under the same source replaces its slots: the export does not change.
        CliRun.Run("", environment, "ingest", "--sample", "--store", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"));
        Assert.Equal(all, CliRun.Run("", environment, export).Out);
        Assert.Equal(zone, CliRun.Run("", environment, [.. export, "--zone", "洪崖洞 Hongyadong"]).Out);

        Assert.Equal("area,place,channel,slot_start,value,status\nhongyadong,all,devices,2026-10-01T20:00:00+08:00,6,DENSITY_ESTIMATION\n", all.ReplaceLineEndings("\n"));
        // The 4 devices' cell lies wholly in the zone; the other 2 are 300 m east, outside it.
        Assert.Equal("area,place,channel,slot_start,value,status\nhongyadong,洪崖洞 Hongyadong,devices,2026-10-01T20:00:00+08:00,4,DENSITY_ESTIMATION\n", zone.ReplaceLineEndings("\n"));

        // Without --exact the CSV follows k (10 devices): 6 devices and 4 devices are written without a number, and
        // the people channel (devices over the panel factor 0.3: 20 and 13 people) too, since the devices are few.
        foreach (var channel in new[] { "devices", "people" })
        {
            var (shownCode, shown, said) = CliRun.Run("", environment, "db", "export", "-d", d.DeploymentPath, "--channel", channel, "--from", "2026-10-01T20:00+08:00",
                "--to", "2026-10-01T20:15+08:00");
            Assert.True(shownCode == 0, said);
            Assert.Equal($"area,place,channel,slot_start,value,status\nhongyadong,all,{channel},2026-10-01T20:00:00+08:00,,LOW_DENSITY\n", shown.ReplaceLineEndings("\n"));
            Assert.Contains("1 of 1 slots under k = 10 written as LOW_DENSITY", said, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ingest_into_the_store_alone_writes_no_rejects_file_into_the_working_folder()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings() + "yesterday,dev-9,29.5630,106.5790,5\n");
        var environment = new Dictionary<string, string> { ["Store__DataDirectory"] = d.File_("store") };
        var before = Directory.GetFiles(Environment.CurrentDirectory, "*.rejects.csv");
        var (code, output, error) = CliRun.Run("", environment, "ingest", "--sample", "--store", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv"));
        Assert.True(code == 0, error);
        Assert.Contains("accepted 18", output + error, StringComparison.Ordinal);
        Assert.Contains("bad-timestamp", output + error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(Environment.CurrentDirectory, "*.rejects.csv"));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "ingest.rejects.csv")), output);
        Assert.Empty(Directory.GetFiles(d.Folder, "*.rejects.csv", SearchOption.AllDirectories));
    }

    [Fact]
    public void Db_commands_name_what_is_wrong_with_their_input()
    {
        using var d = new TestDeployment();
        var environment = new Dictionary<string, string> { ["Store__DataDirectory"] = d.File_("store") };
        string[] export = ["db", "export", "-d", d.DeploymentPath, "--from", "2026-10-01T20:00+08:00", "--to", "2026-10-01T21:00+08:00"];
        var (code, _, error) = CliRun.Run("", environment, [.. export, "--zone", "Nowhere"]);
        Assert.Equal(2, code);
        Assert.Contains("no zone 'Nowhere'; its zones: 洪崖洞 Hongyadong", error, StringComparison.Ordinal);
        (code, _, error) = CliRun.Run("", environment, "db", "export", "-d", d.DeploymentPath, "--from", "yesterday", "--to", "2026-10-01T21:00+08:00");
        Assert.Equal(2, code);
        Assert.Contains("--from 'yesterday': expected an ISO 8601 instant", error, StringComparison.Ordinal);
        (code, _, error) = CliRun.Run("", new() { ["Store__Provider"] = "postgres" }, "db", "migrate");
        Assert.Equal(2, code);
        Assert.Contains("ConnectionStrings:CrowdWatch is not set", error, StringComparison.Ordinal);
        (code, _, error) = CliRun.Run("", new() { ["Store__Provider"] = "oracle" }, "db", "migrate");
        Assert.Equal(2, code);
        Assert.Contains("Store:Provider is 'oracle'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Db_migrate_creates_the_embedded_store_and_reports_its_schema_version()
    {
        using var d = new TestDeployment();
        var (code, output, _) = CliRun.Run("", new() { ["Store__DataDirectory"] = d.File_("store") }, "db", "migrate");
        Assert.Equal(0, code);
        Assert.Matches(@"embedded store .*crowdwatch\.db: schema version [1-9]", output);
        Assert.True(File.Exists(d.File_("store/crowdwatch.db")));
    }
}
