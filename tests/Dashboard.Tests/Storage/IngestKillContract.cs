using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrowdWatch.Dashboard.Tests.Cli;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using CrowdWatch.Storage.Tests;

namespace CrowdWatch.Dashboard.Tests.Storage;

/// <summary>
/// A real <c>crowdwatch ingest</c> process killed in the middle of writing into a store: the slots it committed are
/// all there and whole, the one in flight is absent, and running the ingest again gives exactly the counts of one
/// uninterrupted run. Run against each backend.
/// </summary>
public abstract class IngestKillContract
{
    private static readonly string[] Channels = ["devices", "people", "inflow", "outflow"];
    private static readonly long From = DateTimeOffset.Parse("2026-09-01T00:00:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    private const int Days = 7;

    /// <summary>The environment that points the command line at a new, empty store of the backend under test.</summary>
    protected abstract Task<Dictionary<string, string>> NewStoreEnvironmentAsync();

    // A week of 30 devices pinging every 5 minutes around two cells: 672 slots, each written as its own
    // batch, so the process is certainly mid-run when it is killed.
    private static string Pings()
    {
        var sb = new StringBuilder("timestamp,device_id,lat,lon,accuracy_m\n");
        for (var minute = 0; minute < Days * 24 * 60; minute += 5)
            for (var d = 0; d < 30; d++)
            {
                var t = DateTimeOffset.FromUnixTimeMilliseconds(From + (minute * 60_000L) + (d * 1000L)).ToOffset(TimeSpan.FromHours(8));
                var lon = ((minute / 5) + d) % 3 == 0 ? 106.5821 : 106.5790;
                sb.Append(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd'T'HH:mm:sszzz},dev-{d},29.5630,{lon},10\n");
            }

        return sb.ToString();
    }

    private static async Task<ICountStore> Open(Dictionary<string, string> environment) =>
        (await Stores.OpenAsync(StoreOptions.FromEnvironment(environment.GetValueOrDefault), environment.GetValueOrDefault("ConnectionStrings__CrowdWatch"))).Counts;

    private static async Task<Dictionary<(string, long, int), double>> All(ICountStore store)
    {
        var all = new Dictionary<(string, long, int), double>();
        foreach (var channel in Channels)
        {
            foreach (var r in await store.ReadAsync(new CountQuery("hongyadong", channel, From - 86_400_000, From + ((Days + 1) * 86_400_000L))))
                all[(channel, r.SlotStartMs, r.Cell)] = r.Value;
            // The zone's totals, kept beside the cells, under cell -1.
            foreach (var r in await store.ReadZoneAsync(new ZoneQuery("hongyadong", "洪崖洞 Hongyadong", channel, From - 86_400_000, From + ((Days + 1) * 86_400_000L))))
                all[(channel, r.SlotStartMs, -1)] = r.Value;
        }

        return all;
    }

    [Fact]
    public async Task A_killed_ingest_leaves_whole_committed_slots_and_a_rerun_counts_each_ping_once()
    {
        using var d = new TestDeployment();
        File.WriteAllText(d.File_("pings.csv"), Pings());
        string[] ingest = ["ingest", "--sample", "--store", "-d", d.DeploymentPath, "--pings", d.File_("pings.csv")];

        // The reference: one uninterrupted run into an embedded store of its own.
        var reference = new Dictionary<string, string> { ["Store__DataDirectory"] = d.File_("reference") };
        Assert.Equal(0, CliRun.Run("", reference, ingest).Code);
        var expected = await All(await Open(reference));
        var slots = (await (await Open(reference)).SlotsOfSourceAsync("hongyadong", "pings:pings.csv")).Count;
        Assert.True(slots > 600, $"{slots} slots");

        var environment = await NewStoreEnvironmentAsync();
        var target = await Open(environment);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"));
        foreach (var a in ingest) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using (var child = Process.Start(start)!)
        {
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            while ((await target.SlotsOfSourceAsync("hongyadong", "pings:pings.csv")).Count < 20)
            {
                Assert.False(child.HasExited, "the ingest ended before it could be killed");
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the ingest wrote too few slots in two minutes");
                await Task.Delay(20);
            }

            Assert.False(child.HasExited, "the ingest ended before it could be killed");
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        // Every committed slot is whole; nothing of any other slot is there.
        var committed = (await target.SlotsOfSourceAsync("hongyadong", "pings:pings.csv")).ToHashSet();
        Assert.InRange(committed.Count, 20, slots - 1);
        var partial = await All(target);
        Assert.Equal(expected.Where(e => committed.Contains(e.Key.Item2)).OrderBy(e => e.Key), partial.OrderBy(e => e.Key));

        // The same ingest again, to the end: exactly the reference, nothing counted twice.
        Assert.Equal(0, CliRun.Run("", environment, ingest).Code);
        Assert.Equal(expected.OrderBy(e => e.Key), (await All(target)).OrderBy(e => e.Key));
        foreach (var store in new[] { target }.OfType<IDisposable>()) store.Dispose();
    }
}

public sealed class SqliteIngestKillTests : IngestKillContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-kill-{Guid.NewGuid():N}");

    protected override Task<Dictionary<string, string>> NewStoreEnvironmentAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["Store__DataDirectory"] = _folder });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIngestKillTests(PostgresServer server) : IngestKillContract
{
    protected override async Task<Dictionary<string, string>> NewStoreEnvironmentAsync() => new()
    {
        ["Store__Provider"] = "postgres",
        ["ConnectionStrings__CrowdWatch"] = await server.NewDatabaseAsync(),
    };
}
