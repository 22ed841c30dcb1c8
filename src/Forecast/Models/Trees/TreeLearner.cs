namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>Which gradient-boosting implementation grows the trees.</summary>
public enum TreeLearner
{
    /// <summary>LightGBM (leaf-wise growth, native library).</summary>
    LightGbm,

    /// <summary>ML.NET's FastTree (managed MART).</summary>
    FastTree,
}
