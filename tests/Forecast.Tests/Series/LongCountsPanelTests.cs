using System.Globalization;
using System.Text;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Forecast.Tests.Series;

public sealed class LongCountsPanelTests : IDisposable
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crowdwatch-counts-" + Guid.NewGuid().ToString("N"));

    public LongCountsPanelTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string text)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static (SlotPanel Panel, LongCountsPanel.Summary Summary, IngestReport Report, List<Rejection> Rejected) Read(string path, LongCountsOptions options)
    {
        var report = new IngestReport();
        var rejected = new List<Rejection>();
        var panel = LongCountsPanel.Read(path, options, new RejectLog(report, observer: rejected.Add), out var summary);
        return (panel, summary, report, rejected);
    }

    // A 2 x 3 grid, hourly, two channels: new = 10 row + col + hour, end = twice that.
    private static string Grid(int hours, Func<int, int, int, bool>? skip = null)
    {
        var sb = new StringBuilder("timestamp,row,col,lat,new_flow,end_flow\n");
        var start = new DateTimeOffset(2014, 9, 1, 0, 0, 0, TimeSpan.FromHours(-4));
        for (var t = 0; t < hours; t++)
            for (var r = 0; r < 2; r++)
                for (var c = 0; c < 3; c++)
                    if (skip?.Invoke(t, r, c) != true)
                        sb.Append(CultureInfo.InvariantCulture, $"{start.AddHours(t):yyyy-MM-ddTHH:mm:ss},{r},{c},40.7,{(10 * r) + c + t},{2 * ((10 * r) + c + t)}\n");
        return sb.ToString();
    }

    [Fact]
    public void Several_key_columns_name_a_place_and_several_value_columns_are_channels_of_it()
    {
        var (panel, summary, report, _) = Read(File(Grid(5)), new() { Keys = ["row", "col"], Values = ["new_flow", "end_flow"], TimeZone = NewYork });
        Assert.Equal(30, report.Accepted);
        Assert.Equal(12, panel.Count);
        Assert.Equal(["new_flow", "end_flow"], summary.Channels);
        Assert.Equal(6, summary.Places);
        var place = panel.Keys.ToList().IndexOf("1,2 end_flow");
        Assert.True(place >= 0, string.Join(" ", panel.Keys));
        Assert.Equal([24.0, 26, 28, 30, 32], panel.Values(place).ToArray());
        // Its other channel is the same place's new_flow.
        var companion = Assert.Single(panel.Companions(place));
        Assert.Equal("1,2 new_flow", panel.Keys[companion]);
        Assert.Equal([12.0, 13, 14, 15, 16], panel.Values(companion).ToArray());
        // 04:00 in New York in September is 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2014, 9, 1, 4, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), panel.StartMs);
    }

    [Fact]
    public void Row_and_col_keys_make_a_grid_whose_neighbours_are_the_surrounding_cells_of_the_same_channel()
    {
        var (panel, summary, _, _) = Read(File(Grid(3)), new() { Values = ["new_flow", "end_flow"], TimeZone = NewYork });
        Assert.True(summary.Grid);
        var corner = panel.Keys.ToList().IndexOf("0,0 new_flow");
        Assert.Equal(["0,1 new_flow", "1,0 new_flow", "1,1 new_flow"], panel.Neighbours(corner).Select(i => panel.Keys[i]).Order());
        var middle = panel.Keys.ToList().IndexOf("1,1 end_flow");
        Assert.Equal(5, panel.Neighbours(middle).Count);
        Assert.All(panel.Neighbours(middle), i => Assert.EndsWith("end_flow", panel.Keys[i], StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_hour_is_missing_not_zero_and_an_empty_value_stays_missing()
    {
        var text = Grid(4, skip: (t, r, c) => t == 2 && r == 0 && c == 1).Replace("2014-09-01T01:00:00,1,1,40.7,12,24", "2014-09-01T01:00:00,1,1,40.7,,24", StringComparison.Ordinal);
        var (panel, summary, _, _) = Read(File(text), new() { Keys = ["row", "col"], Values = ["new_flow", "end_flow"], TimeZone = NewYork });
        var gap = panel.Keys.ToList().IndexOf("0,1 new_flow");
        Assert.True(double.IsNaN(panel.Values(gap)[2]));
        Assert.Equal(2.0, panel.Values(gap)[1]);
        var empty = panel.Keys.ToList().IndexOf("1,1 new_flow");
        Assert.True(double.IsNaN(panel.Values(empty)[1]));
        Assert.Equal(24.0, panel.Values(panel.Keys.ToList().IndexOf("1,1 end_flow"))[1]);
        Assert.Equal(3, summary.MissingSlots);
    }

    [Fact]
    public void Local_timestamps_without_a_time_zone_are_refused_once_naming_the_line_and_the_flag()
    {
        var path = File(Grid(3));
        var e = Assert.Throws<InvalidDataException>(() => Read(path, new() { Keys = ["row", "col"], Values = ["new_flow"] }));
        Assert.Contains(":2:", e.Message, StringComparison.Ordinal);
        Assert.Contains("--time-zone", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Daylight_saving_days_skip_the_spring_hour_and_keep_both_autumn_hours()
    {
        var sb = new StringBuilder("timestamp,sensor_id,people\n");
        // Spring forward: 2014-03-09 02:00 does not exist in New York.
        foreach (var h in new[] { "00", "01", "02", "03" }) sb.Append(CultureInfo.InvariantCulture, $"2014-03-09T{h}:00:00,a,1\n");
        var spring = Read(File(sb.ToString()), new() { TimeZone = NewYork });
        var skipped = Assert.Single(spring.Rejected);
        Assert.Equal("skipped-local-time", skipped.Reason);
        Assert.Equal(4, skipped.Line);
        // 00:00 EST, 01:00 EST, then 03:00 EDT: three consecutive hours, none missing.
        Assert.Equal([1.0, 1, 1], spring.Panel.Values(0).ToArray());

        // Fall back: 01:00 comes twice on 2014-11-02; a counter logs it twice, first under daylight time.
        var fall = new StringBuilder("timestamp,sensor_id,people\n");
        foreach (var (h, v) in new[] { ("00", 5), ("01", 6), ("01", 7), ("02", 8) }) fall.Append(CultureInfo.InvariantCulture, $"2014-11-02T{h}:00:00,a,{v}\n");
        var autumn = Read(File(fall.ToString()), new() { TimeZone = NewYork });
        Assert.Empty(autumn.Rejected);
        Assert.Equal([5.0, 6, 7, 8], autumn.Panel.Values(0).ToArray());
        Assert.Equal(new DateTimeOffset(2014, 11, 2, 4, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), autumn.Panel.StartMs);
    }

    [Fact]
    public void A_key_that_names_no_single_series_is_refused_rather_than_summed()
    {
        var path = File(Grid(3));
        var e = Assert.Throws<InvalidDataException>(() => Read(path, new() { Keys = ["row"], Values = ["new_flow"], TimeZone = NewYork }));
        Assert.Contains("--key row,col", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_value_columns_without_values_named_are_refused_listing_them()
    {
        var path = File(Grid(3));
        var e = Assert.Throws<InvalidDataException>(() => Read(path, new() { TimeZone = NewYork }));
        Assert.Contains("[lat, new_flow, end_flow]", e.Message, StringComparison.Ordinal);
        Assert.Contains("--values", e.Message, StringComparison.Ordinal);
    }
}
