using System.Text.Json;
using System.Xml.Linq;
using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Alerts.Tests.Cap;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Api;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Tests.Alerting;

/// <summary>
/// The host's clock running ahead of ingest: the data of a Red evening arrive late, with stalls of three slots. Late
/// data are not the danger ending: no Cancel while the crowd stays Red, one alert throughout, a data gap operators see.
/// And every CAP message the host serves, fetched over HTTP, validates byte for byte.
/// </summary>
public class LateDataTests
{
    private const long SlotMs = 900_000;
    private const string Zone = "洪崖洞 Hongyadong";

    [Fact]
    public async Task Stalled_ingest_under_a_running_clock_never_cancels_a_Red_alert_and_its_CAP_bytes_validate()
    {
        using var d = new TestDeployment();
        var start = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / SlotMs * SlotMs) - (24 * SlotMs));
        var time = new ManualTime(start);
        await using var app = await RunningHost.StartAsync(s => s.AddSingleton<TimeProvider>(time),
            "--CrowdWatch:Deployment", d.DeploymentPath, "--Store:DataDirectory", d.File_("store"), "--Forecast:Enabled", "false",
            "--Alerts:PollMilliseconds", "20", "--Alerts:Cap:WebBase", "https://crowdwatch.example.org/");
        var store = app.Services.GetRequiredService<ICountStore>();
        var service = app.Services.GetRequiredService<AlertService>();

        // Twenty slots at 21 000-22 000 people (capacity 20 000: Red throughout). Each slot's data come 5 minutes after it
        // ends, except slots 4-6 and 11-13: held back and delivered with the slot after them (the clock 3 slots ahead).
        var stalled = new HashSet<int> { 4, 5, 6, 11, 12, 13 };
        var held = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMinutes(i == 0 ? 20 : 15));
            await Task.Delay(150); // the watcher ticks at this time without the slot's data
            held.Add(i);
            if (stalled.Contains(i)) continue;
            // The held slots come together, in one batch (as a feed catching up posts them): the store never holds half of them.
            await WriteAsync(store, [.. held.Select(s => (start.ToUnixTimeMilliseconds() + (s * SlotMs), 21_000.0 + (s * 50)))]);
            held.Clear();
            var judged = System.Diagnostics.Stopwatch.StartNew();
            // Before the clock moves on, the watcher has seen the slot just written (else the next tick measures the
            // gap from the slot before, which on a loaded machine reads as a data gap the test did not make).
            while ((service.Open.Count == 0 || service.Open[0].SeenMs < start.ToUnixTimeMilliseconds() + ((i - 1) * SlotMs)
                || service.DataSeenUntil("hongyadong") < start.ToUnixTimeMilliseconds() + ((i + 1) * SlotMs)) && judged.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        }

        var alerts = app.Services.GetRequiredService<IAlertStore>();
        var open = Assert.Single(service.Open);
        var events = await alerts.EventsAsync(open.Id);
        var kinds = events.Select(e => e.Kind).ToList();
        Assert.DoesNotContain("resolved", kinds);
        Assert.DoesNotContain("expired", kinds);
        Assert.True(kinds.Count(k => k == "datagap") == 2, string.Join(" | ", events.Select(e => $"{e.Kind} {(e.AtMs - start.ToUnixTimeMilliseconds()) / 60000} {e.Note}")));
        Assert.Equal(2, kinds.Count(k => k == "dataresumed"));
        Assert.All(events, e => Assert.Equal("red", e.Level));
        Assert.Equal(1, kinds.Count(k => k == "raised"));
        Assert.Contains(events, e => e.Kind == "datagap" && e.Note!.StartsWith("no data from 洪崖洞 Hongyadong for 35 min", StringComparison.Ordinal));

        // Every message as served: the bytes validate (declared encoding included), xmllint agrees, none is a Cancel,
        // and each one's <web> answers with the alert's page.
        var http = app.Http;
        var dir = Directory.CreateTempSubdirectory("served-cap-");
        try
        {
            foreach (var e in events.Where(e => e.Message is not null))
            {
                var response = await http.GetAsync(AlertsApi.CapPath(open.Id, e.Sequence));
                Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.Empty(CapSchema.ErrorsOfBytes(bytes));
                var file = Path.Combine(dir.FullName, $"{e.Sequence}.xml");
                await File.WriteAllBytesAsync(file, bytes);
                var (code, output) = CapSchema.Xmllint(file);
                Assert.True(code == 0, output);
                var cap = XDocument.Load(new MemoryStream(bytes)).Root!;
                Assert.NotEqual("Cancel", cap.Element(CapMessage.Ns + "msgType")!.Value);
                var web = new Uri(cap.Element(CapMessage.Ns + "info")!.Element(CapMessage.Ns + "web")!.Value);
                Assert.Equal($"https://crowdwatch.example.org/alerts/{open.Id}", web.ToString());
                var page = await http.GetAsync(web.PathAndQuery);
                Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
                Assert.Contains(open.Id.ToString(), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // The list says the gap while it lasts; now data flow: none.
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/alerts"));
        Assert.Equal(JsonValueKind.Null, list.RootElement[0].GetProperty("dataGapSince").ValueKind);
    }

    private static Task WriteAsync(ICountStore store, (long SlotMs, double People)[] slots) =>
        store.WriteAsync(new CountBatch("hongyadong", "test", [.. slots.Select(x => x.SlotMs)], [.. slots.Select(x => new CountRecord(x.SlotMs, "people", 200, x.People))])
        {
            ZoneRows = [.. slots.Select(x => new ZoneCountRecord(x.SlotMs, "people", Zone, x.People))],
        });
}
