using CrowdWatch.Forecast.Models.Trees;

namespace CrowdWatch.Forecast.Models;

/// <summary>The models a user can name on the command line or in configuration.</summary>
public static class ModelCatalog
{
    /// <summary>Every model's name, in the order tables list them.</summary>
    public static readonly string[] Names = ["historical-average", "naive-yesterday", "naive-last-week", "ssa", "lightgbm", "fasttree", "ensemble"];

    /// <summary>A new model by name, for horizons up to <paramref name="horizons"/>.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="horizons">The longest horizon.</param>
    /// <param name="progress">Where fitting reports.</param>
    /// <param name="thorough">LightGBM with <see cref="TreeModelOptions.Thorough"/> (counts files) rather than the defaults.</param>
    /// <param name="seed">The tree models' seed (<see cref="TreeModelOptions.Seed"/>): how much a score owes to the draw of rows.</param>
    public static IForecastModel Create(string name, int horizons, IProgress<string>? progress = null, bool thorough = false, int seed = 1) => name switch
    {
        "historical-average" => new HistoricalAverage(),
        "naive-yesterday" => new SeasonalNaive(1),
        "naive-last-week" => new SeasonalNaive(7),
        "lightgbm" => new GradientBoostedTrees((thorough ? TreeModelOptions.Thorough(horizons) : new TreeModelOptions { Horizons = horizons }) with { Seed = seed }) { Progress = progress },
        "ssa" => new SingularSpectrum(),
        "ensemble" => new WeightedEnsemble([new HistoricalAverage(), new SingularSpectrum(), Create("lightgbm", horizons, progress, thorough, seed)], horizons),
        // FastTree's managed trees take about three times LightGBM's time: its own settings from before bagging.
        "fasttree" => new GradientBoostedTrees(new TreeModelOptions { Learner = TreeLearner.FastTree, Horizons = horizons, Trees = 200, LearningRate = 0.08, Bags = 1, Seed = seed }) { Progress = progress },
        _ => throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
    };
}
