using CrowdWatch.Alerts.Storage;
using CrowdWatch.Forecast.Storage;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage.Access;

namespace CrowdWatch.Storage;

/// <summary>
/// An opened store: one database (embedded or PostgreSQL) and a store over it for each contract. The host registers
/// each under its own interface; the command line takes the one it needs.
/// </summary>
/// <param name="Counts">Counts per cell and slot, with zone totals.</param>
/// <param name="Areas">Areas, grids, zones and spatial queries.</param>
/// <param name="Forecasts">Forecast runs.</param>
/// <param name="Alerts">Alert events and their outbox.</param>
/// <param name="Audit">Who saw and did what.</param>
/// <param name="Keys">API keys.</param>
/// <param name="Sinks">CAMARA sink deliveries.</param>
/// <param name="Database">The database under them: where it is, its schema version, its connections.</param>
public sealed record Store(ICountStore Counts, IAreaStore Areas, IForecastStore Forecasts, IAlertStore Alerts, IAuditLog Audit, IApiKeys Keys,
    Sinks.ISinkOutbox Sinks, IStoreDatabase Database) : IAsyncDisposable, IDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Database.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Database.Dispose();
}
