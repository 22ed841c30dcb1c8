using CrowdWatch.Forecast.Series;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>
/// One gradient-boosted-trees model across all places (a global model), forecasting each horizon directly rather
/// than feeding its own forecasts back: a model per group of horizons (1, 2, 3-4, 5-8, 9-16, 17-32, 33-64 ...), each
/// trained on rows sampled from every place and origin of the training panel, with the horizon as a feature.
/// </summary>
public sealed class GradientBoostedTrees : IForecastModel
{
    private readonly TreeModelOptions _options;
    private TreeEnsemble[] _groups = [];
    private CrossPlaceRegression? _cross;

    /// <summary>A model with the given settings (defaults when null).</summary>
    public GradientBoostedTrees(TreeModelOptions? options = null)
    {
        _options = options ?? new TreeModelOptions();
        if (_options.Horizons <= 0 || _options.Trees <= 0 || _options.Leaves < 2 || _options.RowsPerGroup <= 0 || _options.Bags <= 0 || _options.LearningRate is <= 0 or > 1)
            throw new ArgumentException("tree model settings: Horizons, Trees, RowsPerGroup and Bags at least 1, Leaves at least 2, LearningRate in (0, 1]", nameof(options));
    }

    /// <inheritdoc />
    public string Name => _options.Learner == TreeLearner.LightGbm ? "lightgbm" : "fasttree";

    /// <summary>Reports each horizon group as it is trained.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>The horizon group of <paramref name="horizon"/>: 0 for 1, 1 for 2, 2 for 3-4, 3 for 5-8 ...</summary>
    public static int Group(int horizon) => horizon <= 1 ? 0 : 32 - int.LeadingZeroCount(horizon - 1);

    /// <inheritdoc />
    public void Fit(SlotPanel training, SlotCalendar calendar)
    {
        var horizons = _options.Horizons;
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(calendar);
        var n = training.Length;
        var perDay = training.SlotsPerDay;
        // Origins late enough that the lags of two weeks exist, where the training is long enough to allow it.
        var firstOrigin = Math.Min((14 * perDay) + 8, n / 2);
        if (n - firstOrigin < 2) throw new ArgumentException($"the training panel has {n} slots; the tree model needs at least a few days", nameof(training));
        var times = calendar.Times(training.StartMs, training.SlotMinutes, n + horizons);
        var scales = Scales(training);
        var searchScales = SearchScales(training);
        var events = new EventLoad(training, calendar, n + horizons);
        var groups = Group(horizons) + 1;
        var fitted = new TreeEnsemble[groups];
        var cross = _options.CrossPlace ? CrossPlaceRegression.Fit(training, times, scales, horizons, firstOrigin) : null;
        var inputs = new double[n + 1][];
        if (cross is not null) Parallel.For(firstOrigin, n + 1, o => inputs[o] = cross.Inputs(training, times, o));
        // The horizon groups are fitted side by side, each learner on one thread: LightGBM's own OpenMP threads spin while
        // they wait, and on a machine that other work keeps busy they slowed a fit down many times over; one thread per
        // group never waits for another, and the result does not depend on the machine's load.
        var bags = training.Count <= _options.BaggedUpTo ? _options.Bags : 1;
        var grown = new RegressionTreeEnsemble[groups * bags];
        Parallel.For(0, groups * bags, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, gb =>
        {
            var (g, bag) = (gb / bags, gb % bags);
            var seed = _options.Seed + g + (1000 * bag);
            var ml = new MLContext(seed);
            int lo = g == 0 ? 1 : (1 << (g - 1)) + 1, hi = Math.Min(1 << g, horizons);
            var random = new Random(seed);
            var rows = new FeatureRow[_options.RowsPerGroup];
            var picks = new (int Series, int Origin, int Horizon)[rows.Length];
            var count = 0;
            for (var r = 0; r < rows.Length; r++)
            {
                var h = random.Next(lo, hi + 1);
                if (n - h < firstOrigin) continue;
                picks[count++] = (random.Next(training.Count), random.Next(firstOrigin, n - h + 1), h);
            }

            if (count == 0) throw new ArgumentException($"the training panel is too short for horizon {lo}", nameof(training));
            Parallel.For(0, count, r =>
            {
                var (s, origin, h) = picks[r];
                var row = rows[r] = new FeatureRow();
                var state = TreeFeatures.WriteOrigin(row.Features, training, s, origin, times, events, scales[s], searchScales[s], scales);
                var crossPlace = cross?.Forecast(training, times, inputs[origin], origin, h, s, outOfFold: true) ?? double.NaN;
                var baseline = TreeFeatures.WriteHorizon(row.Features, state, training, s, origin, h, times, events, searchScales[s], h >= _options.SeasonalBaselineFrom, crossPlace);
                row.Label = TreeFeatures.Target(training.Values(s), origin + h - 1, baseline, scales[s]);
                // Rows weigh as the square of their place's scale: the targets are in units of it, and a busy place's
                // errors count as much more in people as its scale is larger.
                row.Weight = (float)(scales[s] * scales[s]);
            });

            var data = ml.Data.LoadFromEnumerable(rows.Take(count));
            RegressionTreeEnsemble ensemble = _options.Learner switch
            {
                TreeLearner.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
                {
                    NumberOfIterations = _options.Trees,
                    NumberOfLeaves = _options.Leaves,
                    LearningRate = _options.LearningRate,
                    MinimumExampleCountPerLeaf = _options.MinRowsPerLeaf,
                    Seed = seed,
                    NumberOfThreads = 1,
                    ExampleWeightColumnName = "Weight",
                    Silent = true,
                    // Each tree sees part of the rows and features: less variance, as on BikeNYC (4.63 to 4.58 one hour ahead).
                    Booster = new GradientBooster.Options { SubsampleFraction = _options.RowFraction, SubsampleFrequency = 1, FeatureFraction = _options.FeatureFraction },
                }).Fit(data).Model.TrainedTreeEnsemble,
                _ => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
                {
                    NumberOfTrees = _options.Trees,
                    NumberOfLeaves = _options.Leaves,
                    LearningRate = _options.LearningRate,
                    MinimumExampleCountPerLeaf = _options.MinRowsPerLeaf,
                    NumberOfThreads = 1,
                    ExampleWeightColumnName = "Weight",
                }).Fit(data).Model.TrainedTreeEnsemble,
            };
            grown[gb] = ensemble;
            Progress?.Report($"{Name}: horizons {lo}-{hi}{(bags > 1 ? $" (bag {bag + 1} of {bags})" : "")} fitted on {count:N0} rows");
        });

        for (var g = 0; g < groups; g++) fitted[g] = TreeEnsemble.From(grown.AsSpan(g * bags, bags).ToArray());

        _groups = fitted;
        _cross = cross;
        if (cross is not null) Progress?.Report($"{Name}: cross-place regression of {training.Count} series, ridge penalty {cross.Penalty}");
    }

    /// <inheritdoc />
    public double[][] Forecast(SlotPanel history, int horizons, SlotCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(calendar);
        if (_groups.Length == 0) throw new InvalidOperationException("the model has not been fitted");
        var origin = history.Length;
        var times = calendar.Times(history.StartMs, history.SlotMinutes, origin + horizons);
        var scales = Scales(history);
        var searchScales = SearchScales(history);
        var events = new EventLoad(history, calendar, origin + horizons);
        var result = new double[history.Count][];
        var inputs = _cross?.Inputs(history, times, origin);
        Parallel.For(0, history.Count, () => new float[TreeFeatures.Count], (s, _, x) =>
        {
            var f = result[s] = new double[horizons];
            var state = TreeFeatures.WriteOrigin(x, history, s, origin, times, events, scales[s], searchScales[s], scales);
            for (var h = 1; h <= horizons; h++)
            {
                var crossPlace = _cross is null ? double.NaN : _cross.Forecast(history, times, inputs, origin, h, s, outOfFold: false);
                var baseline = TreeFeatures.WriteHorizon(x, state, history, s, origin, h, times, events, searchScales[s], h >= _options.SeasonalBaselineFrom, crossPlace);
                var model = _groups[Math.Min(Group(h), _groups.Length - 1)];
                f[h - 1] = TreeFeatures.Forecast(baseline, model.Evaluate(x), scales[s]);
            }

            return x;
        }, _ => { });
        return result;
    }

    private static double[] Scales(SlotPanel panel)
    {
        var scales = new double[panel.Count];
        for (var s = 0; s < scales.Length; s++) scales[s] = TreeFeatures.Scale(panel.Values(s), panel.SlotsPerDay);
        return scales;
    }

    private static double[] SearchScales(SlotPanel panel)
    {
        var scales = new double[panel.Count];
        for (var s = 0; s < scales.Length; s++) scales[s] = panel.HasSearch ? TreeFeatures.Scale(panel.Search(s), panel.SlotsPerDay) : 1;
        return scales;
    }

    private sealed class FeatureRow
    {
        [VectorType(TreeFeatures.Count)]
        public float[] Features { get; set; } = new float[TreeFeatures.Count];

        public float Label { get; set; }

        public float Weight { get; set; }
    }
}
