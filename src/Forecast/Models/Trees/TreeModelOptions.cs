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

    /// <summary>Share of the rows each LightGBM tree is grown on (bagging).</summary>
    public double RowFraction { get; init; } = 0.7;

    /// <summary>Share of the features each LightGBM tree may split on.</summary>
    public double FeatureFraction { get; init; } = 0.6;

    /// <summary>Fewest training rows in a leaf.</summary>
    public int MinRowsPerLeaf { get; init; } = 40;

    /// <summary>Training rows sampled per horizon group (place, origin and horizon drawn at random).</summary>
    public int RowsPerGroup { get; init; } = 120_000;

    /// <summary>Whether the <see cref="CrossPlaceRegression"/>'s forecast is a feature (panels up to its size limit).</summary>
    public bool CrossPlace { get; init; }

    /// <summary>
    /// Models grown per horizon group, each on its own sample of rows and seed, and averaged: less variance (BikeNYC
    /// one hour ahead 4.58 with one, 4.55 with two; <see cref="Thorough"/>). Panels of more than <see cref="BaggedUpTo"/> series grow one.
    /// </summary>
    public int Bags { get; init; } = 1;

    /// <summary>
    /// Most series for which <see cref="Bags"/> models are grown: a larger city's fit would take as many times longer,
    /// for a gain its many places already give (10 000 cells fit within two minutes with one).
    /// </summary>
    public int BaggedUpTo { get; init; } = 2_000;

    /// <summary>
    /// The settings that won on BikeNYC (4.54 one hour ahead): 400 trees at 0.05, two bags, the cross-place
    /// regression. About four times the fit of the defaults, which the live host keeps until the sample city's
    /// first-slot regression with them is understood (issue 23).
    /// </summary>
    public static TreeModelOptions Thorough(int horizons) => new() { Horizons = horizons, Trees = 400, LearningRate = 0.05, Bags = 2, CrossPlace = true };

    /// <summary>Seed of the sampling and of the learners, so that a fit can be repeated.</summary>
    public int Seed { get; init; } = 1;
}
