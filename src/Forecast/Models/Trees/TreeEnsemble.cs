using Microsoft.ML.Trainers.FastTree;

namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>
/// A trained regression tree ensemble flattened into arrays, evaluated without ML.NET's data pipeline: forecasting
/// every cell of a city for 48 slots is half a million rows, which must take well under a second.
/// </summary>
public sealed class TreeEnsemble
{
    // Per node: the feature it splits on, its threshold (go left when the value is at or below it), and its children
    // (a negative child c is the leaf ~c); node and leaf indices are global across trees.
    // A node packed in 16 bytes, so that a step down a tree touches one cache line.
    private readonly Node[] _nodes;
    private readonly double[] _leaf;
    private readonly int[] _root;
    private readonly double _bias;

    private TreeEnsemble(int[] feature, float[] threshold, int[] left, int[] right, double[] leaf, int[] root, double bias)
    {
        _nodes = new Node[feature.Length];
        for (var i = 0; i < feature.Length; i++) _nodes[i] = new Node(feature[i], threshold[i], left[i], right[i]);
        (_leaf, _root, _bias) = (leaf, root, bias);
    }

    /// <summary>Number of trees.</summary>
    public int Trees => _root.Length;

    /// <summary>Flattens an ensemble trained by ML.NET (FastTree or LightGBM); categorical splits are not used by CrowdWatch.</summary>
    public static TreeEnsemble From(RegressionTreeEnsemble ensemble) => From([ensemble]);

    /// <summary>The mean of several ensembles (bags grown on different samples), flattened into one.</summary>
    public static TreeEnsemble From(IReadOnlyList<RegressionTreeEnsemble> ensembles)
    {
        ArgumentNullException.ThrowIfNull(ensembles);
        if (ensembles.Count == 0) throw new ArgumentException("at least one ensemble", nameof(ensembles));
        var feature = new List<int>();
        var threshold = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaf = new List<double>();
        var root = new List<int>();
        var share = 1.0 / ensembles.Count;
        foreach (var ensemble in ensembles)
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = share * ensemble.TreeWeights[t];
            int nodeBase = feature.Count, leafBase = leaf.Count;
            if (tree.NumberOfNodes == 0)
            {
                // A tree of one leaf: a node that sends everything to it.
                root.Add(nodeBase);
                feature.Add(0);
                threshold.Add(float.PositiveInfinity);
                left.Add(~leafBase);
                right.Add(~leafBase);
                leaf.Add(weight * tree.LeafValues[0]);
                continue;
            }

            root.Add(nodeBase);
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                if (tree.CategoricalSplitFlags[n]) throw new NotSupportedException("categorical splits are not expected: CrowdWatch's features are numeric");
                feature.Add(tree.NumericalSplitFeatureIndexes[n]);
                threshold.Add(tree.NumericalSplitThresholds[n]);
                left.Add(Shift(tree.LeftChild[n]));
                right.Add(Shift(tree.RightChild[n]));
            }

            foreach (var v in tree.LeafValues) leaf.Add(weight * v);

            int Shift(int child) => child >= 0 ? child + nodeBase : ~(~child + leafBase);
        }

        return new TreeEnsemble([.. feature], [.. threshold], [.. left], [.. right], [.. leaf], [.. root], ensembles.Average(e => e.Bias));
    }

    /// <summary>The ensemble's output for one feature vector.</summary>
    public double Evaluate(ReadOnlySpan<float> x)
    {
        var sum = _bias;
        foreach (var r in _root)
        {
            var n = r;
            while (n >= 0)
            {
                ref readonly var node = ref _nodes[n];
                n = x[node.Feature] <= node.Threshold ? node.Left : node.Right;
            }

            sum += _leaf[~n];
        }

        return sum;
    }

    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);
}
