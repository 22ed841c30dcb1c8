using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Geohashes;

/// <summary>A geohash cell laid over an area's grid (<see cref="RegionShare"/>).</summary>
public sealed record GeohashCell(string Hash, RegionShare Share)
{
    /// <summary>People in the geohash cell.</summary>
    public double People(ReadOnlySpan<double> peopleByCell) => Share.People(peopleByCell);

    /// <summary>The grid cells it takes a share of.</summary>
    public int[] Cells => Share.Cells;

    /// <summary>The share of it the grid covers.</summary>
    public double CoveredFraction => Share.CoveredFraction;

    /// <summary>The ground the grid covers inside it, km².</summary>
    public double CoveredKm2 => Share.CoveredKm2;
}
