using CrowdWatch.Forecast.Models.Trees;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrowdWatch.Forecast.Tests.Models.Trees;

public class TreeEnsembleTests
{
    private sealed class Row
    {
        [VectorType(4)]
        public float[] Features { get; set; } = new float[4];

        public float Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    private static List<Row> Rows(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ =>
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
            return new Row { Features = x, Label = (float)((x[0] > 5 ? 3 * x[1] : -x[2]) + (x[3] * x[3] / 10)) };
        })];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_flattened_trees_give_what_mlnet_predicts(bool lightGbm)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(3000, 1));
        ITransformer model;
        TreeEnsemble flat;
        if (lightGbm)
        {
            var fitted = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { NumberOfIterations = 40, NumberOfLeaves = 12, Silent = true }).Fit(data);
            (model, flat) = (fitted, TreeEnsemble.From(fitted.Model.TrainedTreeEnsemble));
        }
        else
        {
            var fitted = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfTrees = 40, NumberOfLeaves = 12 }).Fit(data);
            (model, flat) = (fitted, TreeEnsemble.From(fitted.Model.TrainedTreeEnsemble));
        }

        Assert.Equal(40, flat.Trees);
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        foreach (var row in Rows(500, 2))
            Assert.Equal(engine.Predict(row).Score, flat.Evaluate(row.Features), 3);
    }
}
