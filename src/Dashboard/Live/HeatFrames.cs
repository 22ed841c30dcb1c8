using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// Draws each area's newest slot as heat-map frames for this node's live connections (<see cref="FrameFanOut"/>): per
/// audience (viewers k-suppressed, operators exact) the cells that changed, built and serialised once however many
/// clients take them, and a notice when a new forecast run is saved. Pushed, not polled: a store write (in process,
/// the store's own notifications, or another node's through Redis) or a saved run wakes it (<see cref="FrameSignal"/>),
/// and it looks at the store anyway every <see cref="LiveOptions.SafetyPollSeconds"/> for writers it cannot hear. Every
/// node with browsers draws its own frames from the store the nodes share: a frame never crosses the backplane, and a
/// connection's frames are all drawn by the node it is on.
/// </summary>
public sealed partial class HeatFrames(AreaCatalog catalog, ICountStore counts, IForecastStore forecasts, FrameFanOut fanOut,
    IOptions<LiveOptions> options, TimeProvider time, ILogger<HeatFrames> log, IAreaOwnership ownership, FrameSignal signal) : BackgroundService
{
    private readonly Dictionary<string, (long SlotMs, HeatCell[]?[] Views, Guid? Run)> _sent = new(StringComparer.Ordinal);

    /// <summary>Rounds of frames handed out so far.</summary>
    public int FramesSent { get; private set; }

    /// <summary>
    /// The area's newest slot, whole, as <paramref name="audience"/> sees it: this node's last round, else read from the
    /// store; null for an unknown area or before the first slot.
    /// </summary>
    public async Task<HeatFrame?> CurrentAsync(string area, Audience audience = Audience.Viewers, CancellationToken cancellationToken = default)
    {
        if (fanOut.Newest(area) is { } round && round.Frame(audience, null, whole: true) is { } frame) return frame;
        if (!catalog.Areas.TryGetValue(area, out var a)) return null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await NewestAsync(a, now - (3 * 3_600_000L), now, cancellationToken).ConfigureAwait(false) is not { } newest) return null;
        return HeatFrame.Of(a.Name, SeriesCsv.SlotLabel(a, newest.SlotMs), newest.SlotMs, true, ViewOf(a, newest.People, audience));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var zoneCells = catalog.Areas.Values.ToDictionary(a => a.Name, a => (IReadOnlyDictionary<string, HashSet<int>>)a.Zones.Zones
            .Select((z, i) => (Place: ZonePlaces.Id(z.Name), Cells: a.Zones.Overlaps[i].Select(o => o.CellId).ToHashSet()))
            .ToDictionary(z => z.Place, z => z.Cells, StringComparer.Ordinal), StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var area in catalog.Areas.Values)
            {
                try
                {
                    await PublishAsync(area, zoneCells[area.Name], stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(log, e, area.Name);
                }
            }

            try
            {
                // A burst of writes (a slot's blocks, counts and searches) gives one frame: a wake waits a moment for the rest.
                if (await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.SafetyPollSeconds), stoppingToken).ConfigureAwait(false) && options.Value.CoalesceMilliseconds > 0)
                    await Task.Delay(options.Value.CoalesceMilliseconds, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task PublishAsync(Geo.Areas.Area area, IReadOnlyDictionary<string, HashSet<int>> zones, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _sent.TryGetValue(area.Name, out var last);
        if (await forecasts.LatestRunAsync(area.Name, cancellationToken).ConfigureAwait(false) is { } run && run.Id != last.Run)
        {
            fanOut.Notify(area.Name, new ForecastNotice(area.Name, run.Id, SeriesCsv.SlotLabel(area, run.OriginSlotMs), Instants.Local(run.IssuedMs, area.TimeZone)));
            last.Run = run.Id;
            _sent[area.Name] = last;
        }

        // Only slots after the last one sent are read (the last three hours before the first frame): a poll that finds
        // nothing new reads nothing. With several nodes a slot's blocks are stored by their own workers one after
        // another, so the slot last sent is read again and its late blocks go out as changes.
        var first = last.Views is null;
        var from = first ? now - (3 * 3_600_000L) : last.SlotMs + (ownership.Shared ? 0 : 1);
        if (await NewestAsync(area, from, now, cancellationToken).ConfigureAwait(false) is not { } found) return;
        var (newest, people) = found;
        if (!first && newest < last.SlotMs) return;
        // The operators' frames only while an operator is connected here: most nodes serve a public map.
        HeatCell[]?[] views = [ViewOf(area, people, Audience.Viewers), fanOut.Has(Audience.Operators) ? ViewOf(area, people, Audience.Operators) : null];
        // Per audience: the changes since its last view, or all its cells where it had none (then its frame is whole).
        var whole = views.Select((v, i) => v is not null && last.Views?[i] is null).ToArray();
        HeatCell[][] changes = [.. views.Select((v, i) => v is null ? [] : last.Views?[i] is { } before ? HeatFrameDiff.Changes(before, v) : v)];
        if (newest == last.SlotMs && changes.All(c => c.Length == 0) && !whole.Any(w => w)) return;
        _sent[area.Name] = (newest, views, last.Run);
        var round = new FrameRound(area.Name, SeriesCsv.SlotLabel(area, newest), newest, whole, changes, views, zones);
        fanOut.Deliver(round);
        FramesSent++;
        Sent(log, area.Name, round.Slot, changes[0].Length);
    }

    // A viewer's cells are k-suppressed; an operator's exact (only cells with under one person go without a number).
    private static HeatCell[] ViewOf(Geo.Areas.Area area, double[] people, Audience audience) =>
        HeatFrameDiff.View(people, area.WalkableM2, audience == Audience.Operators ? new Geo.Privacy.KThreshold(1) : area.K, LevelThresholds.Default);

    // The newest slot with people in [fromMs, now + a slot) and its people per cell; null if there is none.
    private async Task<(long SlotMs, double[] People)?> NewestAsync(Geo.Areas.Area area, long fromMs, long nowMs, CancellationToken cancellationToken)
    {
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var rows = await counts.ReadAsync(new CountQuery(area.Name, "people", fromMs, nowMs + slotMs), cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var newest = rows.Max(r => r.SlotStartMs);
        var people = new double[area.Grid.Spec.CellCount];
        foreach (var r in rows)
            if (r.SlotStartMs == newest) people[r.Cell] += r.Value;
        return (newest, people);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heat frame of {Area} {Slot}: {Cells} cells changed")]
    private static partial void Sent(ILogger logger, string area, string slot, int cells);

    [LoggerMessage(Level = LogLevel.Error, Message = "Heat frames of {Area} failed; trying again at the next poll")]
    private static partial void Failed(ILogger logger, Exception exception, string area);
}
