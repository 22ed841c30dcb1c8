using ScottPlot;

namespace CrowdWatch.Dashboard.Heatmap;

/// <summary>The four warning levels' names and colours in charts, lowest first.</summary>
internal static class LevelColours
{
    /// <summary>Blue, Yellow, Orange, Red.</summary>
    public static readonly (string Name, Color Color)[] Levels = [("Blue", Colors.RoyalBlue), ("Yellow", Colors.Gold), ("Orange", Colors.DarkOrange), ("Red", Colors.Red)];
}
