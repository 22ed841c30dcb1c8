namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// Where a scenario's usual crowd comes from: the forecast for its window, the average of each slot of day on days of
/// the same kind (a holiday's on holidays) over the last <paramref name="Weeks"/> weeks of history; or, with
/// <paramref name="Day"/>, the crowd observed on that day (last year's same holiday, say) at the same times of day.
/// </summary>
/// <param name="Weeks">Weeks of history the forecast averages over.</param>
/// <param name="Day">A reference day observed, instead of the forecast.</param>
public sealed record BaselineSpec(int Weeks, DateOnly? Day)
{
    /// <summary>For reports: "forecast (8 weeks' average by kind of day)" or "as observed on 2025-10-01".</summary>
    public string Describe() => Day is { } d ? $"as observed on {d:yyyy-MM-dd}" : $"forecast: the average of the last {Weeks} weeks of history by kind of day and time";
}
