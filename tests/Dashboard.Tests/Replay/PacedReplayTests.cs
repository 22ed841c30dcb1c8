using System.Diagnostics;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Forecasting;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Replay;
using CrowdWatch.Dashboard.Tests.Browser;
using CrowdWatch.Dashboard.Tests.Hosting;
using Xunit.Abstractions;

namespace CrowdWatch.Dashboard.Tests.Replay;

/// <summary>
/// The main job's replay gives the same warnings whatever the machine is doing: run once as it is and once with a
/// busy loop on every core, the alert events are the same, and no alert is cleared while its place's observed
/// density stays at its level.
/// </summary>
[Collection(Alone.Name)]
public sealed class PacedReplayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_replay_gives_the_same_alert_events_on_an_idle_and_on_a_loaded_machine()
    {
        var idle = await ReplayAsync(load: false);
        var loaded = await ReplayAsync(load: true);
        output.WriteLine($"idle: {idle.Count} events; loaded: {loaded.Count} events");
        Assert.NotEmpty(idle);
        Assert.Contains(idle, e => e.Place == "zone:hongyadong");
        Assert.Equal(idle, loaded);
    }

    private async Task<List<(string Place, int Version, AlertChangeKind Kind, Alerts.Risk.RiskLevel Level)>> ReplayAsync(bool load)
    {
        var store = Path.Combine(Path.GetTempPath(), "cw-paced-" + Guid.NewGuid().ToString("N"));
        var burners = load
            ? Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!).ToList()
            : [];
        try
        {
            var changes = new List<AlertChange>();
            await using var host = await RunningHost.StartAsync("--Store:DataDirectory", store,
                "--Replay:From", "2025-10-01T19:00:00+08:00", "--Replay:To", "2025-10-01T20:00:00+08:00", "--Replay:SecondsPerSlot", "0.5",
                "--Replay:ForecastWaitSeconds", "300", "--Replay:PaceTimeoutSeconds", "300", "--Forecast:HistoryDays", "21");
            var alerts = host.Services.GetRequiredService<AlertService>();
            alerts.Changed += c =>
            {
                lock (changes) changes.Add(c);
            };
            var replay = host.Services.GetRequiredService<EveningReplay>();
            var clock = host.Services.GetRequiredService<ReplayClock>();
            var waited = Stopwatch.StartNew();
            // The evening is over once its clock has stopped (paced: its last slot judged).
            while (!(clock.Started && replay.SlotsReplayed == 4 && alerts.JudgedThrough("chongqing") >= DateTimeOffset.Parse("2025-10-01T19:45:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds())
                && waited.Elapsed < TimeSpan.FromMinutes(8))
                await Task.Delay(200);
            await Task.Delay(1000);
            output.WriteLine($"{(load ? "loaded" : "idle")}: evening done in {waited.Elapsed.TotalSeconds:0} s, {host.Services.GetRequiredService<ForecastRefresh>().Runs} forecast runs");
            var area = host.Services.GetRequiredService<AreaCatalog>().Areas["chongqing"];
            lock (changes)
            {
                // A clearance only on data below the level less the margin: never while the place stays at its level.
                foreach (var c in changes.Where(c => c.Kind is AlertChangeKind.Resolved or AlertChangeKind.Expired))
                {
                    var zone = area.Zones.Zones.First(z => $"zone:{z.Name}" == c.Alert.Place.Id);
                    var thresholds = LevelThresholds.For(zone.Thresholds);
                    Assert.True(thresholds.LevelOf(c.Alert.Density, c.Alert.CapacityUse) < c.Previous!.Level, $"{c.Alert.Place.Id} cleared at {c.Alert.Density:0.00}/m²");
                }

                return [.. changes.Select(c => (c.Alert.Place.Id, c.Alert.Version, c.Kind, c.Alert.Level)).OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Version)];
            }
        }
        finally
        {
            foreach (var b in burners)
            {
                b.Kill();
                b.Dispose();
            }

            try
            {
                Directory.Delete(store, recursive: true);
            }
            catch (IOException)
            {
                // The host may hold the file a moment longer; the temp folder is swept.
            }
        }
    }
}
