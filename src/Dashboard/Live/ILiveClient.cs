namespace CrowdWatch.Dashboard.Live;

/// <summary>What the server pushes to a dashboard (the strongly typed SignalR client).</summary>
public interface ILiveClient
{
    /// <summary>An alert event of an area or zone the client subscribed to.</summary>
    Task Alert(AlertEventView alertEvent);
}
