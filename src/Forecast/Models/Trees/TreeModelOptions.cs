namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>Settings of the global gradient-boosted-trees model.</summary>
public sealed record TreeModelOptions
{
    /// <summary>Which implementation grows the trees.</summary>
    public TreeLearner Learner { get; init; } = TreeLearner.LightGbm;

    /// <summary>The longest horizon fitted; longer ones are forecast by the last group's model.</summary>
    public int Horizons { get; init; } = 48;

    /// <summary>
    /// The first horizon whose target is measured from the seasonal baseline (the same slot on recent days of the same
    /// class, scaled to today) rather than from the last observed value. Set it to 1 or to past the longest horizon
    /// to use one baseline throughout.
    /// </summary>
    public int SeasonalBaselineFrom { get; init; } = 3;

    /// <summary>Boosting rounds per horizon group.</summary>
    public int Trees { get; init; } = 200;

    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 31;

    /// <summary>Shrinkage.</summary>
    public double LearningRate { get; init; } = 0.08;

    /// <summary>Fewest training rows in a leaf.</summary>
    public int MinRowsPerLeaf { get; init; } = 40;

    /// <summary>Training rows sampled per horizon group (place, origin and horizon drawn at random).</summary>
    public int RowsPerGroup { get; init; } = 120_000;

    /// <summary>Seed of the sampling and of the learners, so that a fit can be repeated.</summary>
    public int Seed { get; init; } = 1;
}
