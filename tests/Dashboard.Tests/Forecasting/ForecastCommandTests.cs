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
        Assert.Equal("168", rows.Single(r => r.StartsWith("pedestrians,naive-last-week,1,", StringComparison.Ordinal)).Split(',')[7]);
        Assert.Equal(2, Directory.GetFiles(outDir, "pedestrians-*.png").Length);
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

    private static Dictionary<(string Place, int Horizon), double[]> ReadForecastCsv(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToDictionary(
            f => (f[0], int.Parse(f[2], CultureInfo.InvariantCulture)), f => f[3..].Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray());

    [Fact]
    public void Forecast_of_a_counts_csv_writes_every_place_and_an_event_in_the_calendar_raises_that_night()
    {
        var csv = CountsCsv();
        var plain = Path.Combine(_dir, "plain.csv");
        var (code, output, error) = CliRun.Run("", null, "forecast", "--counts", csv, "--model", "historical-average", "--horizons", "24", "--out", plain);
        Assert.True(code == 0, error);
        Assert.Contains("counter-2", output, StringComparison.Ordinal);
        var before = ReadForecastCsv(plain);
        Assert.Equal(3 * 24, before.Count);
        // Monday 31 March, 21:00 UTC (horizon 22): the weekly rhythm gives counter-1 2 x (10 + 21) = 62.
        Assert.Equal(62, before[("counter-1", 22)][0], 6);
        Assert.All(before.Values, v => Assert.True(v[1] <= v[0] && v[0] <= v[2] && v[3] <= v[1] && v[2] <= v[4]));

        var calendar = Path.Combine(_dir, "calendar.json");
        File.WriteAllText(calendar, """
            { "holidays": [], "events": [ { "name_en": "Concert", "name_zh": "演唱会", "zone": "counter-1", "from": "2025-03-31", "to": "2025-03-31",
              "start": "20:00", "end": "23:00", "attendance": 500 } ] }
            """);
        var evented = Path.Combine(_dir, "evented.csv");
        (code, _, error) = CliRun.Run("", null, "forecast", "--counts", csv, "--model", "historical-average", "--horizons", "24", "--calendar", calendar, "--out", evented);
        Assert.True(code == 0, error);
        var after = ReadForecastCsv(evented);
        for (var h = 21; h <= 23; h++)
        {
            var (b, a) = (before[("counter-1", h)], after[("counter-1", h)]);
            Assert.Equal(b[0] + 500, a[0], 6);
            // Wider: from about the crowd without the concert to above the crowd with it.
            Assert.True(a[2] - a[1] > b[2] - b[1], $"80% {a[1]}-{a[2]} against {b[1]}-{b[2]}");
            Assert.True(a[1] <= b[0], $"low {a[1]} above the forecast without the event {b[0]}");
        }

        // Before the concert, and at the other counters, nothing moves.
        Assert.Equal(before[("counter-1", 20)], after[("counter-1", 20)]);
        Assert.Equal(before[("counter-2", 22)], after[("counter-2", 22)]);
    }

    [Fact]
    public void Backtest_of_a_grid_with_two_channels_scores_each_channel_and_both_pooled()
    {
        var sb = new StringBuilder("timestamp,row,col,new_flow,end_flow\n");
        var start = new DateTime(2014, 8, 1, 0, 0, 0);
        for (var t = 0; t < 21 * 24; t++)
            for (var r = 0; r < 2; r++)
                for (var c = 0; c < 2; c++)
                    sb.Append(CultureInfo.InvariantCulture, $"{start.AddHours(t):yyyy-MM-ddTHH:mm:ss},{r},{c},{(r + 1) * (5 + (t % 24))},{(c + 1) * (3 + (t % 24))}\n");
        var csv = Path.Combine(_dir, "grid.csv");
        File.WriteAllText(csv, sb.ToString());
        var outDir = Path.Combine(_dir, "grid-bt");
        var calendar = Path.Combine(_dir, "grid-calendar.json");
        File.WriteAllText(calendar, """
            { "holidays": [], "events": [ { "name_en": "Street fair", "name_zh": "街头集市", "zone": "*", "from": "2014-08-20", "to": "2014-08-20",
              "start": "10:00", "end": "12:00", "attendance": 40 } ] }
            """);
        var (code, output, error) = CliRun.Run("", null, "backtest", "--counts", csv, "--key", "row,col", "--values", "new_flow,end_flow", "--time-zone", "America/New_York",
            "--test-days", "3", "--horizons", "2", "--step", "1", "--models", "historical-average,naive-yesterday", "--charts", "1", "--calendar", calendar, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("4 places on a grid", error, StringComparison.Ordinal);
        var table = File.ReadAllText(Path.Combine(outDir, "backtest.md"));
        Assert.Contains("### channel new_flow", table, StringComparison.Ordinal);
        Assert.Contains("### channel end_flow", table, StringComparison.Ordinal);
        Assert.Contains("every channel pooled", table, StringComparison.Ordinal);
        // A daily rhythm: yesterday's value is exact on every channel; 3 days x 24 origins x 8 series at horizon 1.
        var rows = File.ReadAllLines(Path.Combine(outDir, "scores.csv"));
        var pooled = rows.Single(r => r.Contains(",naive-yesterday,1,", StringComparison.Ordinal) && r.StartsWith("new_flow + end_flow", StringComparison.Ordinal)).Split(',');
        Assert.Equal("0", pooled[4]);
        Assert.Equal("576", pooled[7]);
        Assert.Equal("288", rows.Single(r => r.StartsWith("end_flow,naive-yesterday,1,", StringComparison.Ordinal)).Split(',')[7]);
        // The fair's day, every place summed at its peak (23:00: trips started 168, ended 156), observed against each
        // model's forecast one and two slots ahead; yesterday's value is exact.
        var fair = table.Split('\n').Single(l => l.StartsWith("| 2014-08-20 |", StringComparison.Ordinal));
        Assert.StartsWith("| 2014-08-20 | Street fair (*) | 23:00 | 324 |", fair, StringComparison.Ordinal);
        Assert.EndsWith("| 324 / 324 |", fair, StringComparison.Ordinal);
        Assert.Contains("| naive-yesterday 60 / 120 min ahead |", table, StringComparison.Ordinal);
        // Charts are drawn even with fewer horizons than the usual lead.
        Assert.NotEmpty(Directory.GetFiles(outDir, "*.png"));
        Assert.Contains("wrote", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_option_value_prints_the_error_and_where_to_look_not_the_whole_help()
    {
        var (code, _, error) = CliRun.Run("", null, "backtest", "--test-days", "66.875");
        Assert.Equal(2, code);
        Assert.Contains("66.875", error, StringComparison.Ordinal);
        Assert.Contains("see: crowdwatch backtest --help", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--unprecedented-widening", error, StringComparison.Ordinal);
    }
}
