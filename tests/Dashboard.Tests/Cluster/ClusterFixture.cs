using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Dashboard.Tests.Hosting;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>
/// What the cluster tests share: an evening of pings (240 devices walking the test grid for three hours, one ping a
/// minute each) cut into posts, the counts one process gives for them, and the settings of a node: the shared key,
/// the test grid cut into four 10 x 10 blocks, three-second leases, a lateness that takes posts in any order.
/// </summary>
internal sealed class ClusterFixture : IDisposable
{
    public const string PseudonymKey = "cluster-tests-pseudonym-key-0123456789";
    public static readonly long From = DateTimeOffset.Parse("2026-10-01T18:00:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    private const string Header = "timestamp,device_id,lat,lon,accuracy_m\n";

    public TestDeployment Deployment { get; } = new();

    /// <summary>The evening in time order, as posts of 1,200 CSV rows each.</summary>
    public IReadOnlyList<string> Posts { get; } = MakePosts(240, 180, 1200);

    // A block quiet this long has its slots closed at the clock, and the evening is two months behind the clock: a
    // pause this long between posts mid-evening would close open slots and make the rest of them late. On a loaded
    // 2-core CI machine a pause of 9 s (0.15 min) happened; 30 s keeps the flush at the end within the waits below.
    private const string IdleCloseMinutes = "0.5";

    /// <summary>The node settings over <paramref name="connection"/> and <paramref name="redis"/> with <paramref name="roles"/>; alerting on if asked.</summary>
    public string[] NodeArgs(string connection, RedisServer redis, string roles = "all", bool alerts = false) =>
    [
        "--CrowdWatch:Deployment", Deployment.DeploymentPath, "--Store:Provider", "postgres", "--ConnectionStrings:CrowdWatch", connection,
        "--Cluster:Redis", redis.Configuration, "--Cluster:Roles", roles, "--Cluster:BlockCells", "10", "--Cluster:LeaseSeconds", "3",
        "--Ingest:PseudonymKey", PseudonymKey, "--Ingest:LatenessMinutes", "30", "--Ingest:IdleCloseMinutes", IdleCloseMinutes,
        "--Forecast:Enabled", "false", "--Alerts:Enabled", alerts ? "true" : "false", "--Alerts:PollMilliseconds", "100",
        "--Logging:LogLevel:Microsoft.AspNetCore", "Warning",
    ];

    private static List<string> MakePosts(int devices, int minutes, int rowsPerPost)
    {
        var random = new Random(20261001);
        var position = Enumerable.Range(0, devices).Select(_ => (Lat: 29.5630 + ((random.NextDouble() - 0.5) * 0.016), Lon: 106.5790 + ((random.NextDouble() - 0.5) * 0.018))).ToArray();
        var rows = new List<string>();
        for (var minute = 0; minute < minutes; minute++)
            for (var d = 0; d < devices; d++)
            {
                // A slow walk, kept inside the grid.
                var (lat, lon) = position[d];
                lat = Math.Clamp(lat + ((random.NextDouble() - 0.5) * 0.0012), 29.5555, 29.5705);
                lon = Math.Clamp(lon + ((random.NextDouble() - 0.5) * 0.0014), 106.5710, 106.5870);
                position[d] = (lat, lon);
                var t = DateTimeOffset.FromUnixTimeMilliseconds(From + (minute * 60_000L) + (d * 100L)).ToOffset(TimeSpan.FromHours(8));
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd'T'HH:mm:sszzz},dev-{d},{lat:F6},{lon:F6},10\n"));
            }

        return [.. rows.Chunk(rowsPerPost).Select(c => Header + string.Concat(c))];
    }

    /// <summary>The per-(cell, slot) distinct devices of one uninterrupted <c>crowdwatch ingest</c> of the posts (or the first <paramref name="posts"/>).</summary>
    public async Task<Dictionary<(long Slot, int Cell), double>> OneProcessAsync(int? posts = null)
    {
        var file = Deployment.File_($"pings-{posts}.csv");
        var chosen = Posts.Take(posts ?? Posts.Count).ToList();
        File.WriteAllText(file, chosen[0] + string.Concat(chosen.Skip(1).Select(p => p[Header.Length..])));
        var environment = new Dictionary<string, string> { ["Store__DataDirectory"] = Deployment.File_($"reference-{posts}") };
        var run = CliRun.Run("", environment, "ingest", "--sample", "--store", "-d", Deployment.DeploymentPath, "--pings", file);
        Assert.True(run.Code == 0, run.Err);
        var store = await Stores.OpenAsync(StoreOptions.FromEnvironment(environment.GetValueOrDefault), null);
        await using (store)
            return await DevicesAsync(store.Counts);
    }

    /// <summary>Every (slot, cell)'s distinct devices in a store over the evening.</summary>
    public static async Task<Dictionary<(long Slot, int Cell), double>> DevicesAsync(ICountStore store) =>
        (await store.ReadAsync(new CountQuery("hongyadong", "devices", From - 3_600_000, From + (6 * 3_600_000L)))).ToDictionary(r => (r.SlotStartMs, r.Cell), r => r.Value);

    /// <summary>A new ingest key in the store of <paramref name="connection"/>.</summary>
    public static async Task<string> IngestKeyAsync(string connection)
    {
        var store = await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres }, connection);
        await using (store)
            return await store.Keys.IssueAsync("gate-feed", "ingest");
    }

    /// <summary>Posts one CSV body of pings with <paramref name="key"/>.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/hongyadong/ingest/pings") { Content = new StringContent(body, Encoding.UTF8, "text/csv") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request);
    }

    /// <summary>Waits until <paramref name="store"/> holds <paramref name="expected"/>, or the time is up; returns what it holds then.</summary>
    public static async Task<Dictionary<(long Slot, int Cell), double>> WaitForAsync(ICountStore store, IReadOnlyDictionary<(long, int), double> expected, TimeSpan limit)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var held = await DevicesAsync(store);
            if (held.Count == expected.Count && held.All(h => expected.TryGetValue(h.Key, out var v) && v == h.Value)) return held;
            if (waited.Elapsed > limit) return held;
            await Task.Delay(250);
        }
    }

    public void Dispose() => Deployment.Dispose();
}
