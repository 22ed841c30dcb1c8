namespace CrowdWatch.Geo.Zones;

/// <summary>Why one feature of a GeoJSON layer was not loaded.</summary>
/// <param name="File">The file read.</param>
/// <param name="Feature">The feature: its index and, where it has one, its name.</param>
/// <param name="Problem">What is wrong and what was expected.</param>
public sealed record LayerProblem(string File, string Feature, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Feature}: {Problem}";
}
