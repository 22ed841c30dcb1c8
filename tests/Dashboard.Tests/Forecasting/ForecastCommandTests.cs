using System.Globalization;
using System.Text;
using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Forecasting;

public sealed class ForecastCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-forecast-" + Guid.NewGuid().ToString("N"));

    public ForecastCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Three counters, hourly, four weeks: a pure weekly rhythm (so last week's value is exact), in a file with two bad rows.
    private string CountsCsv()
    {
        var sb = new StringBuilder("timestamp,sensor_id,pedestrians\n");
        var start = new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 28 * 24; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                var v = (k + 1) * (10 + (5 * (i / 24 % 7)) + (i % 24));
                sb.Append(CultureInfo.InvariantCulture, $"{start.AddHours(i):yyyy-MM-ddTHH:mm:ssZ},counter-{k},{v}\n");
            }
        }

        sb.Append("not a time,counter-0,5\n");
        sb.Append(CultureInfo.InvariantCulture, $"{start:yyyy-MM-ddTHH:mm:ssZ},counter-1,many\n");
        var path = Path.Combine(_dir, "counts.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Backtest_of_a_long_counts_csv_scores_every_model_and_writes_table_csv_and_charts()
    {
        var csv = CountsCsv();
        var outDir = Path.Combine(_dir, "bt");
        var (code, output, error) = CliRun.Run("", null, "backtest", "--counts", csv, "--test-days", "7", "--horizons", "6", "--step", "3",
            "--models", "historical-average,naive-last-week,ssa", "--charts", "2", "--out", outDir);
        Assert.True(code == 0, error);
        // Bad rows are named with their line and field, and the rest is read.
        Assert.Contains("counts.csv:2018: timestamp: bad-timestamp", error, StringComparison.Ordinal);
        Assert.Contains("counts.csv:2019: pedestrians: bad-number", error, StringComparison.Ordinal);
        var table = File.ReadAllText(Path.Combine(outDir, "backtest.md"));
        Assert.Contains("| naive-last-week | 0.00 | 0.00 | 0.0% |", table, StringComparison.Ordinal);
        Assert.Contains("| historical-average |", table, StringComparison.Ordinal);
        Assert.Contains("| ssa |", table, StringComparison.Ordinal);
        Assert.Contains("RMSE 60 min", table, StringComparison.Ordinal); // hourly slots were inferred from the timestamps
        var rows = File.ReadAllLines(Path.Combine(outDir, "scores.csv"));
        Assert.Equal(1 + (3 * 6), rows.Length);
        // 7 test days of hourly origins every 3 slots: 56 origins x 3 counters at horizon 1.
        Assert.Equal("168", rows.Single(r => r.StartsWith("series,naive-last-week,1,", StringComparison.Ordinal)).Split(',')[7]);
        Assert.Equal(2, Directory.GetFiles(outDir, "series-*.png").Length);
        Assert.Contains("wrote", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forecast_of_the_sample_city_saves_a_run_with_ordered_intervals_and_level_probabilities()
    {
        var store = Path.Combine(_dir, "store");
        var history = Path.Combine(Path.GetDirectoryName(SampleDeployment.Locate())!, "simulated", "history.csv.gz");
        var (code, output, error) = CliRun.Run("", new() { ["Store__DataDirectory"] = store }, "forecast", "-d", SampleDeployment.Locate(),
            "--history", history, "--model", "historical-average", "--at", "2025-10-01T18:00+08:00", "--charts", Path.Combine(_dir, "charts"));
        Assert.True(code == 0, error);
        Assert.Contains("origin 2025-10-01 18:00 +08:00", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "charts", "forecast-hongyadong.png")), output);

        using var opened = await Stores.OpenAsync(new StoreOptions { DataDirectory = store }, null);
        var forecasts = opened.Forecasts;
        var run = await forecasts.LatestRunAsync("chongqing");
        Assert.NotNull(run);
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 18, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(), run.OriginSlotMs);
        var zone = await forecasts.ValuesAsync(run.Id, "hongyadong", isZone: true);
        Assert.Equal(Enumerable.Range(1, 48), zone.Select(v => v.Horizon));
        Assert.Equal(run.OriginSlotMs + (15 * 60_000L), zone[0].TargetSlotMs);
        Assert.All(zone, v =>
        {
            Assert.True(v.Low95 <= v.Low80 && v.Low80 <= v.High80 && v.High80 <= v.High95, $"h={v.Horizon}: {v}");
            Assert.True(v.High95 > v.Low95, "intervals have width");
            Assert.Equal(4, v.Exceedance.Count);
            // A higher level is never more likely than a lower one.
            for (var k = 1; k < 4; k++) Assert.True(v.Exceedance[k] <= v.Exceedance[k - 1], $"h={v.Horizon}: {string.Join(", ", v.Exceedance)}");
        });
    }

    [Fact]
    public void Forecast_from_an_empty_store_says_what_is_missing()
    {
        var (code, _, error) = CliRun.Run("", new() { ["Store__DataDirectory"] = Path.Combine(_dir, "empty") }, "forecast", "-d", SampleDeployment.Locate(), "--model", "ssa");
        Assert.Equal(2, code);
        Assert.Contains("holds no counts of area 'chongqing'", error, StringComparison.Ordinal);
    }
}
