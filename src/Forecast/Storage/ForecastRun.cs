namespace CrowdWatch.Forecast.Storage;

/// <summary>One run of a model over an area: when it was made, from which slot, by which model, and its forecasts.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Area">The area forecast.</param>
/// <param name="IssuedMs">When the run was made, Unix ms.</param>
/// <param name="OriginSlotMs">The last slot the run had data for, Unix ms; horizon 1 is the slot after it.</param>
/// <param name="Model">The model, with its version and settings as text (for example <c>lightgbm h=48 v3</c>).</param>
/// <param name="Values">The forecasts.</param>
public sealed record ForecastRun(Guid Id, string Area, long IssuedMs, long OriginSlotMs, string Model, IReadOnlyList<ForecastValue> Values);
