using Microsoft.AspNetCore.SignalR;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// The dashboard's live connection (<c>/hubs/live</c>): a client subscribes to a whole area or to some of its zones and
/// is pushed their alert events; after a reconnect it asks for the events after the last feed number it saw, so no
/// alert is lost on a flaky connection. Heat-map frames (changed cells only) and forecast notices come the same way; a
/// (re)connecting client asks for the whole newest frame. A connection with an operator's or admin's key (the
/// <c>access_token</c> query parameter, which is how browsers send it on a WebSocket, or the Authorization header) gets
/// exact frames; everyone else gets k-suppressed ones.
/// </summary>
public sealed class LiveHub(AlertFeed feed, HeatFrames frames, FrameFanOut fanOut) : Hub<ILiveClient>
{
    /// <summary>The group of an area's events.</summary>
    public static string AreaGroup(string area) => $"area:{area}";

    /// <summary>The group of one zone's events.</summary>
    public static string PlaceGroup(string area, string place) => $"place:{area}:{place}";

    /// <summary>Subscribes to <paramref name="area"/>, or only to its <paramref name="places"/> (place ids such as <c>zone:hongyadong</c>).</summary>
    public async Task Subscribe(string area, string[]? places = null)
    {
        if (string.IsNullOrWhiteSpace(area)) throw new HubException("area: expected an area's name");
        fanOut.Watch(Context.ConnectionId, area, places);
        if (places is null || places.Length == 0) await Groups.AddToGroupAsync(Context.ConnectionId, AreaGroup(area)).ConfigureAwait(false);
        else foreach (var p in places) await Groups.AddToGroupAsync(Context.ConnectionId, PlaceGroup(area, p)).ConfigureAwait(false);
    }

    /// <summary>Events of <paramref name="area"/> (and <paramref name="places"/>, if given) after feed number <paramref name="after"/>.</summary>
    /// <remarks>An array, not the feed's list: every hub protocol (MessagePack too) writes an array.</remarks>
    public AlertEventView[] Missed(string area, long after, string[]? places = null) => [.. feed.After(area, after, places)];

    /// <summary>The area's newest heat-map frame, whole (every cell with anyone in it), as this caller may see it: for a client that (re)connects.</summary>
    public Task<HeatFrame?> Frame(string area) => frames.CurrentAsync(area, FrameFanOut.AudienceOf(Context.User), Context.ConnectionAborted);
}
