using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Privacy;
using CrowdWatch.Geo.Storage;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Ingest;

/// <summary>The host's live binners, one per area, shared by the ingest endpoints and the replay.</summary>
public sealed partial class LiveIngest : IDisposable
{
    private readonly Dictionary<string, AreaIngest> _areas = new(StringComparer.Ordinal);

    /// <summary>Prepares a binner per area of the catalogue.</summary>
    public LiveIngest(AreaCatalog catalog, ICountStore store, IOptions<IngestOptions> options, ILogger<LiveIngest> log)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var configured = o.PseudonymKey is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable(PseudonymKey.EnvironmentVariable);
        var key = string.IsNullOrEmpty(configured) ? PseudonymKey.Ephemeral() : PseudonymKey.Parse(configured);
        if (key.IsEphemeral) ThrowAwayKey(log);
        foreach (var area in catalog.Areas.Values)
        {
            PoiGazetteer? gazetteer = null;
            if (catalog.Entries.TryGetValue(area.Name, out var entry) && entry.PoiPath is { } poi && File.Exists(poi))
            {
                using var stream = File.OpenRead(poi);
                gazetteer = PoiGazetteer.Load(stream, poi, new RejectLog(new IngestReport()));
            }

            _areas[area.Name] = new AreaIngest(area, store, key, gazetteer, TimeSpan.FromMinutes(o.LatenessMinutes), o.MaxAccuracyM);
        }
    }

    /// <summary>The binner of <paramref name="area"/>, if it is served.</summary>
    public AreaIngest? For(string area) => _areas.GetValueOrDefault(area);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var a in _areas.Values) a.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live ingest pseudonymises device ids with a throw-away key (set Ingest:PseudonymKey or CROWDWATCH_PSEUDONYM_KEY to link devices across restarts)")]
    private static partial void ThrowAwayKey(ILogger logger);
}
