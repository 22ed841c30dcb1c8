namespace CrowdWatch.Dashboard.Live;

/// <summary>A new forecast run of an area: the page reloads its time line and chart.</summary>
public sealed record ForecastNotice(string Area, Guid RunId, string Origin, string IssuedAt);
