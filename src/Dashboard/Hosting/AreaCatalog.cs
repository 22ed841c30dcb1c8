using CrowdWatch.Dashboard.Deployment;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Zones;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>The areas this instance serves, loaded once from the deployment file.</summary>
public sealed class AreaCatalog
{
    /// <summary>Loads every area of the configured deployment; layer problems are logged, not fatal.</summary>
    public AreaCatalog(IOptions<CrowdWatchOptions> options, ILogger<AreaCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = DeploymentFile.Load(options.Value.Deployment);
        var areas = new Dictionary<string, Area>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
        {
            var problems = new List<LayerProblem>();
            areas.Add(entry.Settings.Name, file.BuildArea(entry.Settings.Name, problems));
            foreach (var p in problems) LogLayerProblem(logger, p.ToString());
        }

        Areas = areas;
    }

    /// <summary>Areas by name.</summary>
    public IReadOnlyDictionary<string, Area> Areas { get; }

    private static void LogLayerProblem(ILogger logger, string problem) => LayerProblemMessage(logger, problem, null);

    private static readonly Action<ILogger, string, Exception?> LayerProblemMessage =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(1, "LayerProblem"), "Layer feature skipped: {Problem}");
}
