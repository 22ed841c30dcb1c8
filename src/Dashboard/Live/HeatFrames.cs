using System.Collections.Concurrent;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Geo.Time;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// Pushes each area's newest slot to the live hub as a heat-map frame of the cells that changed (the whole city's
/// group gets every change, a zone's group the changes inside that zone), and a notice when a new forecast run is
/// saved. Pushed, not polled: a store write or a saved run wakes it (<see cref="FrameSignal"/>), and it looks at the
/// store anyway every <see cref="LiveOptions.SafetyPollSeconds"/> for writers it cannot hear. With several nodes only an area's
/// owner pushes its frames (through the backplane to every node's browsers); a taker starts with a whole frame.
/// </summary>
public sealed partial class HeatFrames(AreaCatalog catalog, ICountStore counts, IForecastStore forecasts, IHubContext<LiveHub, ILiveClient> hub,
    IOptions<LiveOptions> options, TimeProvider time, ILogger<HeatFrames> log, IAreaOwnership ownership, FrameSignal signal) : BackgroundService
{
    // The newest whole frame of each area, made only when a (re)connecting client asks for it: a publish of changes
    // need not sort and pack every cell again.
    private readonly ConcurrentDictionary<string, Lazy<HeatFrame>> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long SlotMs, Dictionary<int, HeatCell> Cells, Guid? Run)> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _terms = new(StringComparer.Ordinal);
    private int _sending;

    /// <summary>Frames pushed so far.</summary>
    public int FramesSent { get; private set; }

    /// <summary>The area's newest slot, whole: what a client asks for when it (re)connects; null before the first.</summary>
    public HeatFrame? Current(string area) => _current.GetValueOrDefault(area)?.Value;

    /// <summary>
    /// The area's newest slot, whole: this node's last frame where it draws the area's frames, else read from the store
    /// (a front-end, or another node's area); null for an unknown area or before the first slot.
    /// </summary>
    public async Task<HeatFrame?> CurrentAsync(string area, CancellationToken cancellationToken = default)
    {
        if (ownership.TermOf(area) != 0 && Current(area) is { } frame) return frame;
        if (!catalog.Areas.TryGetValue(area, out var a)) return null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await NewestAsync(a, now - (3 * 3_600_000L), now, cancellationToken).ConfigureAwait(false) is not { } newest) return null;
        return HeatFrame.Of(a.Name, SeriesCsv.SlotLabel(a, newest.SlotMs), newest.SlotMs, true, InCellOrder(newest.View));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var zoneCells = catalog.Areas.Values.ToDictionary(a => a.Name, a => a.Zones.Zones.Select((z, i) => (Place: ZonePlaces.Id(z.Name), Cells: a.Zones.Overlaps[i].Select(o => o.CellId).ToHashSet())).ToArray(), StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var area in catalog.Areas.Values)
            {
                var term = ownership.TermOf(area.Name);
                if (term == 0) continue;
                // Taken (again): the first frame is whole, for browsers that heard another owner before.
                if (_terms.GetValueOrDefault(area.Name) != term) _sent.Remove(area.Name);
                _terms[area.Name] = term;
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

    private async Task PublishAsync(Geo.Areas.Area area, (string Place, HashSet<int> Cells)[] zones, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        _sent.TryGetValue(area.Name, out var last);
        if (await forecasts.LatestRunAsync(area.Name, cancellationToken).ConfigureAwait(false) is { } run && run.Id != last.Run)
        {
            Send(hub.Clients.Group(LiveHub.AreaGroup(area.Name)).ForecastUpdated(new ForecastNotice(area.Name, run.Id, SeriesCsv.SlotLabel(area, run.OriginSlotMs),
                Instants.Local(run.IssuedMs, area.TimeZone))), area.Name);
            last.Run = run.Id;
            _sent[area.Name] = last;
        }

        // Only slots after the last one sent are read (the last three hours before the first frame): a poll that finds
        // nothing new reads nothing. With several nodes a slot's blocks are stored by their own workers one after
        // another, so the slot last sent is read again and its late blocks go out as changes.
        var first = last.Cells is null;
        var from = first ? now - (3 * 3_600_000L) : last.SlotMs + (ownership.Shared ? 0 : 1);
        if (await NewestAsync(area, from, now, cancellationToken).ConfigureAwait(false) is not { } found) return;
        var (newest, view) = found;
        if (!first && newest < last.SlotMs) return;
        var changes = last.Cells is { } before ? HeatFrameDiff.Changes(before, view) : InCellOrder(view);
        if (newest == last.SlotMs && changes.Length == 0) return;
        var label = SeriesCsv.SlotLabel(area, newest);
        var whole = new Lazy<HeatFrame>(() => HeatFrame.Of(area.Name, label, newest, true, first ? changes : InCellOrder(view)));
        _current[area.Name] = whole;
        _sent[area.Name] = (newest, view, last.Run);
        // The first frame after taking an area is the whole one.
        Send(hub.Clients.Group(LiveHub.AreaGroup(area.Name)).HeatFrame(first ? whole.Value : HeatFrame.Of(area.Name, label, newest, false, changes)), area.Name);
        foreach (var (place, cells) in zones)
        {
            var inZone = changes.Where(c => cells.Contains(c.C)).ToArray();
            if (inZone.Length > 0) Send(hub.Clients.Group(LiveHub.PlaceGroup(area.Name, place)).HeatFrame(HeatFrame.Of(area.Name, label, newest, false, inZone)), area.Name);
        }

        FramesSent++;
        Sent(log, area.Name, label, changes.Length);
    }

    // Handed to SignalR, not awaited: a group send completes only when its slowest client has taken the frame, and a
    // client that stopped reading must not hold the next frame back from everyone else. SignalR writes each connection
    // in turn at once (serialised once per protocol); what a stuck client has not taken waits on its connection alone.
    private void Send(Task sending, string area)
    {
        Interlocked.Increment(ref _sending);
        sending.ContinueWith(t =>
        {
            Interlocked.Decrement(ref _sending);
            if (t.Exception is { } e) Failed(log, e.GetBaseException(), area);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Group sends handed to SignalR and not yet taken by every client (a client that fell behind keeps one open).</summary>
    public int Sending => Volatile.Read(ref _sending);

    private static HeatCell[] InCellOrder(Dictionary<int, HeatCell> view) => [.. view.Values.OrderBy(c => c.C)];

    // The newest slot with people in [fromMs, now + a slot) and its cells as viewers see them; null if there is none.
    private async Task<(long SlotMs, Dictionary<int, HeatCell> View)?> NewestAsync(Geo.Areas.Area area, long fromMs, long nowMs, CancellationToken cancellationToken)
    {
        var slotMs = area.Settings.SlotMinutes * 60_000L;
        var rows = await counts.ReadAsync(new CountQuery(area.Name, "people", fromMs, nowMs + slotMs), cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var newest = rows.Max(r => r.SlotStartMs);
        var people = new double[area.Grid.Spec.CellCount];
        foreach (var r in rows)
            if (r.SlotStartMs == newest) people[r.Cell] += r.Value;
        return (newest, HeatFrameDiff.View(people, area.WalkableM2, area.K, LevelThresholds.Default));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heat frame of {Area} {Slot}: {Cells} cells changed")]
    private static partial void Sent(ILogger logger, string area, string slot, int cells);

    [LoggerMessage(Level = LogLevel.Error, Message = "Heat frames of {Area} failed; trying again at the next poll")]
    private static partial void Failed(ILogger logger, Exception exception, string area);
}
