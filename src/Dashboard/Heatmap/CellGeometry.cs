using System.Text.Json;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Dashboard.Heatmap;

/// <summary>Writes a cell's WGS84 square as a GeoJSON geometry member.</summary>
public static class CellGeometry
{
    /// <summary>Writes <c>"geometry": {"type": "Polygon", ...}</c> for <paramref name="cell"/>, to 7 decimals (1 cm).</summary>
    public static void Write(Utf8JsonWriter writer, Grid grid, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(grid);
        writer.WriteStartObject("geometry");
        writer.WriteString("type", "Polygon");
        writer.WriteStartArray("coordinates");
        writer.WriteStartArray();
        foreach (var p in grid.CellPolygon(cell).Coordinates)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(Math.Round(p.X, 7));
            writer.WriteNumberValue(Math.Round(p.Y, 7));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
