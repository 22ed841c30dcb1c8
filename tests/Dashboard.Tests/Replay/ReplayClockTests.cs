using CrowdWatch.Dashboard.Replay;

namespace CrowdWatch.Dashboard.Tests.Replay;

public class ReplayClockTests
{
    private static readonly DateTimeOffset Origin = new(2025, 10, 1, 15, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_clock_stands_at_its_origin_until_started_then_runs_at_its_speed()
    {
        var clock = new ReplayClock(Origin, speed: 450);
        await Task.Delay(50);
        Assert.Equal(Origin, clock.GetUtcNow());
        clock.Start();
        await Task.Delay(200);
        var ran = clock.GetUtcNow() - Origin;
        // 200 ms of real time (or more, on a busy machine) is 90 s (or more) of replayed time.
        Assert.InRange(ran, TimeSpan.FromSeconds(85), TimeSpan.FromMinutes(45));
    }

    [Fact]
    public async Task Timers_made_on_the_clock_fire_at_its_pace_including_periodic_ones()
    {
        var clock = new ReplayClock(Origin, speed: 600);
        // A minute of replayed time is 100 ms of real time: three ticks come well within five real seconds.
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 3; i++) Assert.True(await timer.WaitForNextTickAsync());
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"three ticks took {waited.Elapsed}");
        var delayed = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMinutes(2), clock);
        Assert.True(delayed.Elapsed < TimeSpan.FromSeconds(5), $"a two-minute delay took {delayed.Elapsed}");
    }

    [Fact]
    public async Task A_stopped_clock_stays_where_it_stopped()
    {
        var clock = new ReplayClock(Origin, speed: 450);
        clock.Start();
        await Task.Delay(50);
        clock.Stop();
        var stopped = clock.GetUtcNow();
        Assert.True(stopped > Origin);
        await Task.Delay(100);
        Assert.Equal(stopped, clock.GetUtcNow());
    }
}
