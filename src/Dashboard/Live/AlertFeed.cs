using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Dashboard.Alerting;
using Microsoft.AspNetCore.SignalR;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// The alert events as the dashboard sees them: numbered in order, kept for the last <see cref="Capacity"/> events for
/// clients that reconnect, and pushed to the subscribers of their area and place.
/// </summary>
public sealed class AlertFeed : IHostedService, IDisposable
{
    /// <summary>Events kept for catching up.</summary>
    public const int Capacity = 10_000;

    private readonly IHubContext<LiveHub, ILiveClient> _hub;
    private readonly AlertService _alerts;
    private readonly LinkedList<AlertEventView> _recent = new();
    private readonly Lock _lock = new();
    private long _next;

    /// <summary>A feed of <paramref name="alerts"/>' changes into <paramref name="hub"/>.</summary>
    public AlertFeed(IHubContext<LiveHub, ILiveClient> hub, AlertService alerts)
    {
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _alerts.Changed += OnChanged;
    }

    /// <summary>The last feed number given (0 before any event).</summary>
    public long Last
    {
        get
        {
            lock (_lock) return _next;
        }
    }

    /// <summary>Events of <paramref name="area"/> (only of <paramref name="places"/>, if given) after <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<AlertEventView> After(string area, long after, IReadOnlyCollection<string>? places = null)
    {
        lock (_lock)
            return [.. _recent.Where(e => e.Feed > after && e.Area == area && (places is null || places.Count == 0 || places.Contains(e.Place)))];
    }

    /// <inheritdoc />
    public void Dispose() => _alerts.Changed -= OnChanged;

    // A hosted service only so that the host makes it (and it starts listening) before the alert service runs.
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnChanged(AlertChange change)
    {
        var a = change.Alert;
        AlertEventView view;
        lock (_lock)
        {
            // The hub serves viewers, as the heat-map frames do: no number of a slot under k.
            var shown = !a.UnderK;
            view = new AlertEventView(++_next, change.Kind.ToString().ToLowerInvariant(), a.Id, a.Version, a.Area, a.Place.Id, a.Place.NameZh, a.Place.NameEn, a.Level.Colour(),
                a.State.ToString().ToLowerInvariant(), a.Trigger.Kind.ToString(), shown ? Math.Round(a.Density, 3) : null, shown && a.CapacityUse is { } u ? Math.Round(u, 3) : null,
                shown ? Math.Round(a.Trend * 60, 3) : null,
                a.Peak.Known ? Math.Round(a.Peak.Density, 3) : null, a.Peak.Known ? DateTimeOffset.FromUnixTimeMilliseconds(a.Peak.AtMs) : null,
                DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs), change.Actor, change.Note,
                a.DataGapSinceMs is { } gap ? DateTimeOffset.FromUnixTimeMilliseconds(gap) : null,
                shown ? Geo.Privacy.KThreshold.DensityEstimation : Geo.Privacy.KThreshold.LowDensity);
            _recent.AddLast(view);
            while (_recent.Count > Capacity) _recent.RemoveFirst();
        }

        // Recorded already (the journal comes first): sending is best effort; a client that misses it asks for it.
        _ = _hub.Clients.Groups(LiveHub.AreaGroup(a.Area), LiveHub.PlaceGroup(a.Area, a.Place.Id)).Alert(view);
    }
}
