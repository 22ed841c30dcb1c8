using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Benchmarks;

/// <summary>The sample city's grid (data/samples/chongqing): 15 km x 6 km of 100 m cells in UTM 48N.</summary>
internal static class SampleArea
{
    public static Area Create() => new(new AreaSettings
    {
        Name = "chongqing",
        Grid = new GridDefinition { Bounds = new GeoBounds(106.440, 29.540, 106.595, 29.595), CellSizeM = 100 },
        PanelFactor = 0.3,
    }, [], []);
}
