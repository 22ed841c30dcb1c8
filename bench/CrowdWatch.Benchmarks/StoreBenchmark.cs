using BenchmarkDotNet.Attributes;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;
using Npgsql;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// The stores, on both backends: bulk-writing binned counts (one batch of 1 M cell rows, as a day of a busy area
/// arrives; through binary COPY on PostgreSQL) and reading one zone's 15-minute series for a year. PostgreSQL is the
/// server named by <c>CROWDWATCH_BENCH_POSTGRES</c> (<c>scripts/pg-scratch.sh</c> starts one and prints it).
/// </summary>
[MinColumn]
[MedianColumn]
public class StoreBenchmark
{
    private const int Cells = 10_000;
    private const int Slots = 100;
    private const long Start = 1_735_660_800_000; // 2025-01-01T00:00+08:00
    private const long SlotMs = 15 * 60_000;
    private ICountStore _store = null!;
    private CountBatch _bulk = null!;
    private CountBatch _next = null!;
    private int _round;

    /// <summary>The backend.</summary>
    [Params(StoreOptions.Embedded, StoreOptions.Postgres)]
    public string Backend { get; set; } = StoreOptions.Embedded;

    [GlobalSetup]
    public void Setup()
    {
        _store = Open(Backend).GetAwaiter().GetResult();
        // A year of 15-minute totals for twelve zones, written a day at a time as ingest would.
        for (var day = 0; day < 365; day++)
        {
            var slots = Enumerable.Range(0, 96).Select(s => Start + (((day * 96L) + s) * SlotMs)).ToArray();
            var zoneRows = slots.SelectMany((s, i) => Enumerable.Range(0, 12).Select(z => new ZoneCountRecord(s, "people", $"zone-{z}", 100 + ((i * 7) % 900) + z))).ToList();
            _store.WriteAsync(new CountBatch("bench", "year.csv", slots, []) { ZoneRows = zoneRows }).GetAwaiter().GetResult();
        }

        var bulkSlots = Enumerable.Range(0, Slots).Select(s => Start + (400L * 96 * SlotMs) + (s * SlotMs)).ToArray();
        _bulk = new CountBatch("bench", "bulk", bulkSlots,
            [.. bulkSlots.SelectMany(s => Enumerable.Range(0, Cells).Select(c => new CountRecord(s, "devices", c, 1 + (c % 50))))]);
    }

    [GlobalCleanup]
    public void Cleanup() => (_store as IDisposable)?.Dispose();

    /// <summary>Moves the batch past the previous one (outside the timed part), so that each write is a pure load.</summary>
    [IterationSetup(Target = nameof(WriteMillionRows))]
    public void NextDay()
    {
        var shift = ++_round * (long)Slots * SlotMs;
        _next = _bulk with
        {
            Slots = [.. _bulk.Slots.Select(s => s + shift)],
            Rows = [.. _bulk.Rows.Select(r => r with { SlotStartMs = r.SlotStartMs + shift })],
        };
    }

    /// <summary>One batch of 1 M new cell rows (100 slots x 10 000 cells) in one transaction.</summary>
    [Benchmark(OperationsPerInvoke = Cells * Slots)]
    public Task WriteMillionRows() => _store.WriteAsync(_next);

    /// <summary>One zone's 15-minute series for a year (35 040 slots).</summary>
    [Benchmark]
    public async Task<int> ReadZoneYear() =>
        (await _store.ReadZoneAsync(new ZoneQuery("bench", "zone-5", "people", Start, Start + (365L * 96 * SlotMs)))).Count;

    private static async Task<ICountStore> Open(string backend)
    {
        if (backend == StoreOptions.Embedded)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"crowdwatch-bench-store-{Guid.NewGuid():N}");
            return (await Stores.OpenAsync(new StoreOptions { DataDirectory = folder }, null)).Counts;
        }

        var server = Environment.GetEnvironmentVariable("CROWDWATCH_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("set CROWDWATCH_BENCH_POSTGRES to a PostgreSQL connection string (scripts/pg-scratch.sh starts a server and prints one)");
        var database = $"crowdwatch_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return (await Stores.OpenAsync(new StoreOptions { Provider = StoreOptions.Postgres },
            new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString())).Counts;
    }
}
