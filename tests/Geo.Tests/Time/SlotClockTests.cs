using CrowdWatch.Geo.Time;

namespace CrowdWatch.Geo.Tests.Time;

public class SlotClockTests
{
    private static long Ms(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static string Start(SlotClock clock, string iso) =>
        DateTimeOffset.FromUnixTimeMilliseconds(clock.SlotStartMs(Ms(iso))).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-10-01T23:59:59.999+08:00", "2026-10-01T15:45:00Z")]
    [InlineData("2026-10-02T00:00:00+08:00", "2026-10-01T16:00:00Z")] // local midnight starts a new slot (16:00 UTC)
    [InlineData("2026-10-02T00:14:59+08:00", "2026-10-01T16:00:00Z")]
    [InlineData("2026-10-02T00:15:00+08:00", "2026-10-01T16:15:00Z")]
    public void Shanghai_quarter_hour_slots_align_on_the_local_clock_across_midnight(string instant, string expectedUtcStart) =>
        Assert.Equal(expectedUtcStart, Start(SlotClock.Create(15, "Asia/Shanghai"), instant));

    [Fact]
    public void Hour_slots_in_kathmandu_start_on_the_local_hour_not_the_utc_hour()
    {
        var clock = SlotClock.Create(60, "Asia/Kathmandu"); // UTC+05:45
        Assert.Equal("2026-03-01T14:15:00Z", Start(clock, "2026-03-01T14:20:00Z"));
        Assert.Equal("2026-03-01T13:15:00Z", Start(clock, "2026-03-01T14:14:59Z"));
    }

    [Fact]
    public void Spring_forward_in_new_york_keeps_hour_slots_contiguous()
    {
        var clock = SlotClock.Create(60, "America/New_York");
        // 2026-03-08: 02:00 EST (07:00Z) jumps to 03:00 EDT.
        Assert.Equal("2026-03-08T06:00:00Z", Start(clock, "2026-03-08T06:59:59Z")); // 01:xx EST
        Assert.Equal("2026-03-08T07:00:00Z", Start(clock, "2026-03-08T07:00:00Z")); // 03:00 EDT
        var slot = clock.SlotOf(DateTimeOffset.Parse("2026-03-08T06:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(1), slot.End - slot.Start);
        Assert.Equal(TimeSpan.FromHours(-5), slot.UtcOffset);
    }

    [Fact]
    public void Fall_back_in_new_york_gives_the_repeated_local_hour_two_distinct_slots()
    {
        var clock = SlotClock.Create(60, "America/New_York");
        // 2026-11-01: 02:00 EDT (06:00Z) falls back to 01:00 EST; local 01:30 happens twice.
        var first = clock.SlotOf(DateTimeOffset.Parse("2026-11-01T05:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var second = clock.SlotOf(DateTimeOffset.Parse("2026-11-01T06:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("01:00", first.LocalStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("01:00", second.LocalStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(first.Start, second.Start);
        Assert.Equal(first.End, second.Start);
        Assert.Equal(TimeSpan.FromHours(1), second.End - second.Start);
    }

    [Fact]
    public void Half_hour_offset_change_shorter_than_the_slot_starts_a_slot_at_the_change()
    {
        var clock = SlotClock.Create(60, "Australia/Lord_Howe");
        // 2026-10-04 02:00 +10:30 (2026-10-03T15:30Z) becomes 02:30 +11:00.
        var before = clock.SlotOf(DateTimeOffset.Parse("2026-10-03T15:20:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var after = clock.SlotOf(DateTimeOffset.Parse("2026-10-03T15:40:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Ms("2026-10-03T14:30:00Z"), before.Start.ToUnixTimeMilliseconds());
        Assert.Equal(Ms("2026-10-03T15:30:00Z"), after.Start.ToUnixTimeMilliseconds());
        Assert.Equal(before.End, after.Start);
        Assert.Equal(Ms("2026-10-03T16:00:00Z"), after.End.ToUnixTimeMilliseconds()); // 03:00 local
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(60)]
    public void Every_supported_length_tiles_a_day(int minutes)
    {
        var clock = SlotClock.Create(minutes, "Asia/Shanghai");
        var day = Ms("2026-10-01T00:00:00+08:00");
        var starts = new HashSet<long>();
        for (var t = day; t < day + 86_400_000; t += 60_000) starts.Add(clock.SlotStartMs(t));
        Assert.Equal(24 * 60 / minutes, starts.Count);
        Assert.All(starts, s => Assert.Equal(0, (s - day) % (minutes * 60_000)));
    }

    [Fact]
    public void Unsupported_length_and_unknown_zone_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlotClock.Create(20, "Asia/Shanghai"));
        Assert.Contains("Mars/Olympus", Assert.Throws<ArgumentException>(() => SlotClock.Create(15, "Mars/Olympus")).Message, StringComparison.Ordinal);
    }
}
