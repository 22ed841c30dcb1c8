namespace CrowdWatch.Dashboard.Live;

/// <summary>What the server pushes to a dashboard (the strongly typed SignalR client).</summary>
public interface ILiveClient
{
    /// <summary>An alert event of an area or zone the client subscribed to.</summary>
    Task Alert(AlertEventView alertEvent);

    /// <summary>The cells of the area (or subscribed zones) that changed in its newest slot.</summary>
    Task HeatFrame(HeatFrame frame);

    /// <summary>A new forecast run of the area.</summary>
    Task ForecastUpdated(ForecastNotice notice);
}
