using System.Text.RegularExpressions;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Dashboard.Tests.Cli;

namespace CrowdWatch.Dashboard.Tests.Alerting;

public sealed partial class AlertsReplayCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-replay-" + Guid.NewGuid().ToString("N"));

    public AlertsReplayCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"hongyadong: first warning at (\d\d):(\d\d) \((\w+), (\w+)\), observed Orange at (\d\d):(\d\d): lead time")]
    private static partial Regex Lead();

    [GeneratedRegex(@"hongyadong: forecast of (orange|red) at (\d\d):(\d\d) \((Possible|Likely), p = 0\.\d\d\): lead time (\d+) h (\d\d) min")]
    private static partial Regex OrangeForecastLead();

    [Fact]
    public void Replay_of_National_Day_warns_of_Hongyadong_before_it_turns_Orange_and_lists_every_alert()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, output, error) = CliRun.Run("", new() { ["Store__DataDirectory"] = Path.Combine(_dir, "store") }, "alerts", "replay",
            "-d", SampleDeployment.Locate(), "--model", "historical-average", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("the store holds no counts", error, StringComparison.Ordinal);
        var m = Lead().Match(output);
        Assert.True(m.Success, output);
        var warned = (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var orange = (int.Parse(m.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(orange - warned >= 60, $"warned at {warned} min, Orange at {orange} min");
        Assert.Equal("SearchAnomaly", m.Groups[4].Value);
        // The searches' forecast gives Orange or Red over an hour before the crowd reaches Orange.
        var f = OrangeForecastLead().Match(output);
        Assert.True(f.Success, output);
        Assert.True(int.Parse(f.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, f.Value);
        Assert.Contains("map searches at", output, StringComparison.Ordinal);
        // The alert rose to Red and cleared once the evening was over, with its events in the CSV.
        var rows = File.ReadAllLines(Path.Combine(outDir, "alerts.csv"));
        Assert.StartsWith("at,slot,place,event,alert,version,level", rows[0], StringComparison.Ordinal);
        var hongyadong = rows.Where(r => r.Contains(",zone:hongyadong,", StringComparison.Ordinal)).ToList();
        Assert.Contains(hongyadong, r => r.Contains(",raised,", StringComparison.Ordinal));
        Assert.Contains(hongyadong, r => r.Contains(",updated,", StringComparison.Ordinal) && r.Contains(",red,", StringComparison.Ordinal));
        Assert.Contains(hongyadong, r => r.Contains(",resolved,", StringComparison.Ordinal));
        Assert.Single(hongyadong.Select(r => r.Split(',')[4]).Distinct()); // one alert for the place all evening: no duplicates
        Assert.True(new FileInfo(Path.Combine(outDir, "alerts-hongyadong.png")).Length > 10_000);
        // The riskiest slot's cell clusters are listed, the first one Red.
        Assert.Matches(@"risk points at 2025-10-01 \d\d:\d\d \+08:00", output);
        Assert.Matches(@"  1\. \d+ cells from \d+ \(29\.\d+,106\.\d+\): red, score \d+", output);
    }

    [Fact]
    public void A_period_outside_the_history_is_refused_with_the_history_range()
    {
        var (code, _, error) = CliRun.Run("", new() { ["Store__DataDirectory"] = Path.Combine(_dir, "store") }, "alerts", "replay",
            "-d", SampleDeployment.Locate(), "--from", "2024-01-01T00:00:00+08:00", "--to", "2024-01-02T00:00:00+08:00");
        Assert.Equal(2, code);
        Assert.Contains("--from", error, StringComparison.Ordinal);
        Assert.Contains("outside the history (2025-08-18", error, StringComparison.Ordinal);
    }
}
