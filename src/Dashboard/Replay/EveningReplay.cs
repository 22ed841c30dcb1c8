using System.Globalization;
using System.Text;
using System.Threading.Channels;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Dashboard.Ingest;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Replay;

/// <summary>
/// The main job on the sample city. Loads the area's history before <see cref="ReplayOptions.From"/> into the store
/// (the weeks the forecasts and the search lead learn from), waits for the first forecast, starts the
/// <see cref="ReplayClock"/>, and then feeds the evening as it would have arrived: raw pings and map searches, where
/// the replay has them, through the live binner as their time comes; per-cell counts from the history for the other
/// slots as each slot ends. Forecasting and alerting see nothing but the store and the clock, as on live data.
/// </summary>
public sealed partial class EveningReplay(ReplayPlan plan, ReplayClock clock, AreaCatalog catalog, ICountStore store, IForecastStore forecasts,
    LiveIngest live, Alerting.AlertService alerts, ILogger<EveningReplay> log) : BackgroundService
{
    /// <summary>Source of the history loaded before the replay.</summary>
    public const string HistorySource = "history";

    /// <summary>Source of the per-cell counts replayed where no raw data cover a slot.</summary>
    public const string CountSource = "replay:counts";

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>Slots fed so far (counts and binned).</summary>
    public int SlotsReplayed { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var area = catalog.Areas[plan.Area];
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var batches = new SlotBatches(area);
        var evening = new SortedDictionary<long, List<(int, string, double)>>();
        var loading = System.Diagnostics.Stopwatch.StartNew();
        var loaded = await LoadHistoryAsync(area, batches, evening, stoppingToken).ConfigureAwait(false);
        clock.MarkReady(plan.FromMs - slotMs);
        clock.MarkHistoryLoaded();
        HistoryLoaded(log, area.Name, loaded, DateTimeOffset.FromUnixTimeMilliseconds(plan.FromMs), loading.Elapsed.TotalSeconds);

        // The first forecast before the clock runs, so that the evening is forecast from its first slot.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(plan.ForecastWaitSeconds) && await forecasts.LatestRunAsync(area.Name, stoppingToken).ConfigureAwait(false) is null)
            await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken).ConfigureAwait(false);
        // Paced: the clock runs to a few minutes past the first slot's end and waits there until the host has judged it.
        var hold = plan.FromMs + slotMs + ReplayPlan.PaceMarginMs;
        if (plan.Paced) clock.HoldAt(DateTimeOffset.FromUnixTimeMilliseconds(hold));
        clock.Start();
        Started(log, area.Name, DateTimeOffset.FromUnixTimeMilliseconds(plan.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(plan.ToMs), plan.SecondsPerSlot);

        var ingest = live.For(area.Name)!;
        using var pings = plan.PingsPath is { } pp ? new TimedCsv(pp, "timestamp") : null;
        using var searches = plan.SearchesPath is { } sp ? new TimedCsv(sp, "timestamp") : null;
        // Slots the raw pings cover whole are binned from them (with the searches of those slots); the rest come from
        // the history's counts, and raw records in them are left out so that nothing is counted twice.
        var (rawFrom, rawTo) = pings is null ? (long.MaxValue, long.MinValue) : (area.NewClock().SlotStartMs(pings.FirstMs + slotMs - 1), area.NewClock().SlotStartMs(pings.LastMs));
        pings?.Keep(rawFrom, Math.Min(rawTo, plan.ToMs));
        searches?.Keep(rawFrom, Math.Min(rawTo, plan.ToMs));
        var next = plan.FromMs;
        var rejected = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (pings is not null && pings.Until(now) is { } chunk)
            {
                var report = await ingest.PingsAsync(chunk, pings.Name, ndjson: false, cancellationToken: stoppingToken).ConfigureAwait(false);
                rejected += report.Rejected;
            }

            if (searches is not null && searches.Until(now) is { } found)
                await ingest.SearchesAsync(found, searches.Name, cancellationToken: stoppingToken).ConfigureAwait(false);
            for (; next + slotMs <= Math.Min(now, plan.ToMs); next += slotMs)
            {
                if (next < rawFrom || next >= rawTo)
                {
                    var rows = evening.GetValueOrDefault(next) ?? [];
                    await store.WriteAsync(batches.Of(CountSource, next, rows), stoppingToken).ConfigureAwait(false);
                }

                SlotsReplayed++;
                SlotFed(log, DateTimeOffset.FromUnixTimeMilliseconds(next).ToOffset(area.TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(next))), SlotsReplayed, plan.Slots(slotMs));
            }

            if (plan.Paced && now >= hold)
            {
                // Every record of the slot before the hold has been fed: close it in the binners (a feed's lateness has
                // passed), say it is whole, and wait for its forecast and judgement before the clock goes on.
                var whole = hold - ReplayPlan.PaceMarginMs - slotMs;
                await ingest.AdvanceAsync(now, stoppingToken).ConfigureAwait(false);
                clock.MarkReady(whole);
                await WaitJudgedAsync(area.Name, whole, stoppingToken).ConfigureAwait(false);
                hold += slotMs;
                clock.HoldAt(DateTimeOffset.FromUnixTimeMilliseconds(hold));
            }

            // Paced, the evening ends once its last slot is judged; otherwise once it is fed.
            if (next >= plan.ToMs && (!plan.Paced || hold > plan.ToMs + ReplayPlan.PaceMarginMs)) break;
            await Task.Delay(Step, stoppingToken).ConfigureAwait(false);
        }

        await ingest.CompleteAsync(stoppingToken).ConfigureAwait(false);
        // The evening is over: time stops at its end, so the page keeps showing it as it closed.
        clock.Stop();
        Finished(log, area.Name, SlotsReplayed, rejected);
    }

    // A paced replay's wait for the judge of one slot, bounded so that a host without alerting (or a stuck one) does
    // not stop the evening.
    private async Task WaitJudgedAsync(string area, long slotMs, CancellationToken cancellationToken)
    {
        if (!alerts.Enabled) return;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(alerts.JudgedThrough(area) >= slotMs))
        {
            if (waited.Elapsed > clock.PaceTimeout)
            {
                PaceTimedOut(log, area, DateTimeOffset.FromUnixTimeMilliseconds(slotMs), waited.Elapsed.TotalSeconds);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    // Streams the history file: every slot before the replay into the store (through a bounded channel, so reading and
    // writing overlap), the replay's own slots kept for later.
    private async Task<int> LoadHistoryAsync(Geo.Areas.Area area, SlotBatches batches, SortedDictionary<long, List<(int, string, double)>> evening, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<CountBatch>(new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var panelFactor = area.Settings.PanelFactor;
        var read = Task.Run(() =>
        {
            try
            {
                using var stream = InputFile.OpenRead(plan.HistoryPath);
                // The file holds a day's channels in blocks (people, then searches, then truth), so a slot is stored
                // once the rows have moved two days past it.
                var pending = new SortedDictionary<long, List<(int, string, double)>>();
                var day = new List<CountBatch>();
                void FlushBefore(long limit)
                {
                    while (pending.Count > 0 && pending.First() is var (slot, rows) && slot < limit)
                    {
                        pending.Remove(slot);
                        if (slot < plan.FromMs) day.Add(batches.Of(HistorySource, slot, rows));
                        else if (slot < plan.ToMs) evening[slot] = rows;
                    }

                    // A day of slots a write: one transaction instead of ninety-six.
                    if (day.Count >= 96 || (limit == long.MaxValue && day.Count > 0))
                    {
                        var merged = new CountBatch(area.Name, HistorySource, [.. day.SelectMany(b => b.Slots)], [.. day.SelectMany(b => b.Rows)])
                        {
                            ZoneRows = [.. day.SelectMany(b => b.ZoneRows)],
                        };
                        channel.Writer.WriteAsync(merged, cancellationToken).AsTask().GetAwaiter().GetResult();
                        day.Clear();
                    }
                }

                WideSeries.Read(stream, plan.HistoryPath, new RejectLog(new IngestReport()), (slot, name, cells, values) =>
                {
                    // The simulation's ground truth is what no live feed has: it stays out.
                    if (name == "truth") return;
                    if (!pending.TryGetValue(slot, out var rows)) pending[slot] = rows = [];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        if (!(values[i] > 0)) continue;
                        rows.Add((cells[i], name, values[i]));
                        if (name == "devices") rows.Add((cells[i], "people", values[i] / panelFactor));
                    }

                    FlushBefore(slot - (2 * 86_400_000L));
                });
                FlushBefore(long.MaxValue);
            }
            finally
            {
                channel.Writer.Complete();
            }
        }, cancellationToken);

        var count = 0;
        await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            count += batch.Slots.Count;
            if (count / 672 != (count - batch.Slots.Count) / 672) Loading(log, area.Name, count);
        }

        await read.ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// A CSV of timed records (Unix ms in its first column) handed out in chunks as their time comes, each chunk a CSV
    /// of its own with the header, as a feed would post it.
    /// </summary>
    private sealed class TimedCsv : IDisposable
    {
        private readonly StreamReader _reader;
        private readonly string _header;
        private string? _pending;

        public TimedCsv(string path, string firstColumn)
        {
            Name = Path.GetFileName(path);
            // The span first: one pass over the file for its first and last times.
            using (var scan = new StreamReader(InputFile.OpenRead(path), Encoding.UTF8))
            {
                _ = scan.ReadLine();
                string? line, last = null;
                while ((line = scan.ReadLine()) is not null)
                {
                    if (line.Length == 0) continue;
                    if (last is null) FirstMs = TimeOf(line);
                    last = line;
                }

                LastMs = last is null ? FirstMs : TimeOf(last);
            }

            _reader = new StreamReader(InputFile.OpenRead(path), Encoding.UTF8);
            _header = _reader.ReadLine() ?? "";
            if (!_header.StartsWith(firstColumn, StringComparison.Ordinal)) throw new InvalidDataException($"{path}: expected a header starting with '{firstColumn}'");
            _pending = _reader.ReadLine();
        }

        public string Name { get; }

        public long FirstMs { get; }

        private (long From, long To) _kept = (long.MinValue, long.MaxValue);

        /// <summary>Hands out only the records in [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
        public void Keep(long fromMs, long toMs) => _kept = (fromMs, toMs);

        public long LastMs { get; }

        /// <summary>The records before <paramref name="nowMs"/> not handed out yet, or null when there are none.</summary>
        public MemoryStream? Until(long nowMs)
        {
            if (_pending is null || TimeOf(_pending) >= nowMs) return null;
            var text = new StringBuilder(_header).Append('\n');
            while (_pending is not null && TimeOf(_pending) is var at && at < nowMs)
            {
                if (at == long.MinValue || (at >= _kept.From && at < _kept.To)) text.Append(_pending).Append('\n');
                _pending = _reader.ReadLine();
            }

            return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        }

        // A line's time; a line without one goes out at once, for the binner to reject with its reason.
        private static long TimeOf(string line)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            return long.TryParse(comma < 0 ? line : line[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : long.MinValue;
        }

        public void Dispose() => _reader.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay of {Area}: loading the history, {Slots} slots stored")]
    private static partial void Loading(ILogger logger, string area, int slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay of {Area}: {Slots} history slots before {From:yyyy-MM-dd HH:mm} stored in {Seconds:0.0} s; waiting for the first forecast")]
    private static partial void HistoryLoaded(ILogger logger, string area, int slots, DateTimeOffset from, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay of {Area} running: {From:u} to {To:u}, one slot every {Seconds} s")]
    private static partial void Started(ILogger logger, string area, DateTimeOffset from, DateTimeOffset to, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay: slot {Slot:yyyy-MM-dd HH:mm zzz} fed ({Done}/{Total})")]
    private static partial void SlotFed(ILogger logger, DateTimeOffset slot, int done, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay of {Area}: slot {Slot:u} not judged after {Seconds:0} s; going on")]
    private static partial void PaceTimedOut(ILogger logger, string area, DateTimeOffset slot, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay of {Area} finished: {Slots} slots fed, {Rejected} raw records rejected")]
    private static partial void Finished(ILogger logger, string area, int slots, long rejected);
}
