namespace CrowdWatch.Forecast.Storage;

/// <summary>Where forecast runs are kept, for the live map and for judging the forecasts afterwards.</summary>
public interface IForecastStore
{
    /// <summary>Saves a whole run in one transaction.</summary>
    Task SaveRunAsync(ForecastRun run, CancellationToken cancellationToken = default);

    /// <summary>The newest run of an area (by issue time), without its values; null when there is none.</summary>
    Task<ForecastRun?> LatestRunAsync(string area, CancellationToken cancellationToken = default);

    /// <summary>A run's forecasts for one place, by horizon.</summary>
    Task<IReadOnlyList<ForecastValue>> ValuesAsync(Guid runId, string place, bool isZone, CancellationToken cancellationToken = default);

    /// <summary>A run's forecasts of every cell (or every zone) for one target slot: the forecast map of that slot.</summary>
    Task<IReadOnlyList<ForecastValue>> SlotValuesAsync(Guid runId, long targetSlotMs, bool isZone, CancellationToken cancellationToken = default);
}
