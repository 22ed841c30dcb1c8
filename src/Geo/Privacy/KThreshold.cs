namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// The k-anonymity floor for viewer-facing output: a cell estimated to hold fewer than <see cref="K"/> people is shown
/// as <see cref="LowDensity"/> with no number, as the operators' population-density APIs do.
/// </summary>
public readonly record struct KThreshold
{
    /// <summary>The marker viewers see instead of a number (CAMARA's <c>LOW_DENSITY</c>).</summary>
    public const string LowDensity = "LOW_DENSITY";

    /// <summary>The marker of a cell shown with its numbers (CAMARA's <c>DENSITY_ESTIMATION</c>).</summary>
    public const string DensityEstimation = "DENSITY_ESTIMATION";

    /// <summary>The default floor of 10 people.</summary>
    public static readonly KThreshold Default = new(10);

    /// <summary>Creates a floor of <paramref name="k"/> people (at least 1).</summary>
    public KThreshold(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>The fewest people a viewer may see a number for.</summary>
    public int K { get; }

    /// <summary>Whether an estimate of <paramref name="people"/> must be suppressed.</summary>
    public bool Suppresses(double people) => people < K;
}
