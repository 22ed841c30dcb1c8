namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// The k-anonymity floor for viewer-facing output: a number about fewer than <see cref="K"/> people or fewer than
/// <see cref="K"/> distinct devices is shown as <see cref="LowDensity"/> with no number, as the operators'
/// population-density APIs do. People are estimated as distinct devices over the panel factor (the share of people
/// the feed sees), so with a factor of 0.1 one device reads as 10 people: the floor is applied to the devices
/// before scaling (people × panel factor), and to the people where the factor is above 1, whichever group is smaller.
/// </summary>
public readonly record struct KThreshold
{
    /// <summary>The marker viewers see instead of a number (CAMARA's <c>LOW_DENSITY</c>).</summary>
    public const string LowDensity = "LOW_DENSITY";

    /// <summary>The marker of a cell shown with its numbers (CAMARA's <c>DENSITY_ESTIMATION</c>).</summary>
    public const string DensityEstimation = "DENSITY_ESTIMATION";

    /// <summary>The default floor of 10 people.</summary>
    public static readonly KThreshold Default = new(10);

    /// <summary>Creates a floor of <paramref name="k"/> people and devices (at least 1).</summary>
    /// <param name="k">The fewest people, and the fewest distinct devices, a number may be shown for.</param>
    /// <param name="panelFactor">Distinct devices per person in the area's feed (people = devices / factor).</param>
    public KThreshold(int k, double panelFactor = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (!(panelFactor > 0) || !double.IsFinite(panelFactor)) throw new ArgumentOutOfRangeException(nameof(panelFactor), panelFactor, "the panel factor must be a positive number");
        K = k;
        PanelFactor = panelFactor;
    }

    /// <summary>Distinct devices per person: how an estimate of people goes back to the devices it came from.</summary>
    public double PanelFactor { get; }

    /// <summary>The fewest people a viewer may see a number for.</summary>
    public int K { get; }

    /// <summary>
    /// Whether an estimate of <paramref name="people"/> must be suppressed: it stands for fewer than k people, or for
    /// fewer than k distinct devices (people × panel factor). NaN is suppressed.
    /// </summary>
    public bool Suppresses(double people) => !(Math.Min(people, people * PanelFactor) >= K);

    /// <summary>Whether a number about <paramref name="people"/> counted from <paramref name="devices"/> distinct devices must be suppressed.</summary>
    public bool Suppresses(double people, double devices) => !(Math.Min(people, devices) >= K);

    /// <summary>
    /// Whether a stored <paramref name="value"/> of <paramref name="channel"/> must leave without a number: what kind of
    /// group each channel counts decides. <c>devices</c> are distinct devices (people = devices over the panel factor);
    /// <c>search</c> are queries, counted as they are; people, flows and pre-aggregated channels are estimated people.
    /// </summary>
    public bool SuppressesChannel(string channel, double value) => channel switch
    {
        "devices" => Suppresses(value / PanelFactor, value),
        "search" => !(value >= K),
        _ => Suppresses(value),
    };
}
