using System.Globalization;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Dashboard.Tests.Cli;

namespace CrowdWatch.Dashboard.Tests.Scenarios;

/// <summary>The sample city's National Day scenarios through <c>crowdwatch scenario run</c>, report and all.</summary>
public sealed class SampleScenarioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cw-scenario-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Scenario(string name) => Path.Combine(Path.GetDirectoryName(SampleDeployment.Locate())!, "scenarios", name);

    // CSV fields, quotes honoured: the scenario names hold commas.
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    [Fact]
    public void Thirty_percent_more_at_Hongyadong_warns_of_Red_earlier_and_the_recommended_limit_keeps_every_zone_below_Orange()
    {
        var (code, output, error) = CliRun.Run("", null, "scenario", "run", "-d", SampleDeployment.Locate(),
            Scenario("national-day-hongyadong-plus30.json"), Scenario("national-day-light-show.json"), "--out", _dir);
        Assert.True(code == 0, error + output);

        var rows = File.ReadAllLines(Path.Combine(_dir, "summary.csv")).Skip(1).Select(Fields).ToList();
        string[] Row(string scenario, string zone) => rows.Single(r => r[0] == scenario && r[1] == zone);
        var plus = Row("National Day 2026, 30% more at Hongyadong", "hongyadong");
        // Columns: ..., first_red_warning_at (9), baseline_first_red_warning_at (10), turned_away, no_room, recommended (13).
        var red = DateTimeOffset.Parse(plus[9], CultureInfo.InvariantCulture);
        var baselineRed = DateTimeOffset.Parse(plus[10], CultureInfo.InvariantCulture);
        Assert.True(red < baselineRed, $"Red at {red} with 30% more, {baselineRed} in the baseline");
        Assert.Equal("red", plus[6]);
        var rate = double.Parse(plus[13], CultureInfo.InvariantCulture);
        Assert.InRange(rate, 1, 10_000);
        Assert.Contains("with them the highest level is", output, StringComparison.Ordinal);
        var line = output.Split('\n').First(l => l.Contains("recommended admission limits", StringComparison.Ordinal));
        Assert.True(RiskLevels.TryParse(line.Trim().Split(' ')[^1], out var after), line);
        Assert.True(after < RiskLevel.Orange, line);

        // The report: the page, a map per scenario, a chart per zone at a warning level, the CSV time lines.
        var html = File.ReadAllText(Path.Combine(_dir, "index.html"));
        Assert.Contains("Side by side", html, StringComparison.Ordinal);
        Assert.Contains("national-day-2026-30-more-at-hongyadong-peak.png", html, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_dir, "national-day-2026-light-show-at-chaotianmen-peak.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(_dir, "zone-hongyadong.png")).Length > 10_000);
        var timeline = File.ReadAllLines(Path.Combine(_dir, "zones.csv"));
        Assert.Equal(1 + (2 * 12 * 145), timeline.Length);
        // The light show fills Chaotianmen, which the usual evening leaves below any warning.
        Assert.NotEqual("none", Row("National Day 2026, light show at Chaotianmen", "chaotianmen")[6]);
        Assert.Equal("", Row("National Day 2026, 30% more at Hongyadong", "chaotianmen")[9]);
    }

    [Fact]
    public void A_scenario_with_mistakes_names_each_field_and_the_other_files_still_run()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """
            { "name": "bad", "from": "2026-10-01T12:00", "to": "2026-10-01 nine",
              "events": [ { "zone": "nowhere", "attendance": -5, "start": "2026-10-01T20:00", "end": "2026-10-01T19:00" } ],
              "admissions": [ { "zone": "hongyadong" } ], "closures": [ { "line": [[106.58, 29.56]] } ] }
            """);
        var good = Path.Combine(_dir, "good.json");
        File.WriteAllText(good, """{ "name": "quiet", "from": "2026-10-02T06:00", "to": "2026-10-02T07:00", "recommend": false }""");
        var (code, output, error) = CliRun.Run("", null, "scenario", "run", "-d", SampleDeployment.Locate(), bad, good, "--out", Path.Combine(_dir, "report"));
        Assert.Equal(1, code);
        Assert.Contains("bad.json: to: '2026-10-01 nine' is not", error, StringComparison.Ordinal);
        Assert.Contains("bad.json: events[0].zone: 'nowhere' is not a zone of chongqing", error, StringComparison.Ordinal);
        Assert.Contains("bad.json: events[0].attendance: expected a number from 1", error, StringComparison.Ordinal);
        Assert.Contains("bad.json: events[0].end: must be after its start", error, StringComparison.Ordinal);
        Assert.Contains("bad.json: admissions[0].peoplePerMinute: missing", error, StringComparison.Ordinal);
        Assert.Contains("bad.json: closures[0].line: expected two or more [lon, lat] points", error, StringComparison.Ordinal);
        Assert.Contains("not run (6 problems)", error, StringComparison.Ordinal);
        Assert.Contains("== quiet:", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "report", "index.html")));
    }
}
