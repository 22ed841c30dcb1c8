namespace CrowdWatch.Geo.Zones;

/// <summary>
/// A region laid over an area's grid: its ground area (m², in the grid's projection), the share of it the grid covers,
/// and for each grid cell it touches the share of that cell's walkable area that lies inside it.
/// </summary>
public sealed record RegionShare(double AreaM2, double CoveredFraction, int[] Cells, double[] Shares)
{
    /// <summary>People in the region: each grid cell's people times its share.</summary>
    public double People(ReadOnlySpan<double> peopleByCell)
    {
        var sum = 0.0;
        for (var i = 0; i < Cells.Length; i++) sum += peopleByCell[Cells[i]] * Shares[i];
        return sum;
    }

    /// <summary>The ground the grid covers inside the region, km².</summary>
    public double CoveredKm2 => AreaM2 * CoveredFraction / 1e6;
}
