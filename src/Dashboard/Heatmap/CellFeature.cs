using System.Text.Json;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Dashboard.Heatmap;

/// <summary>Writes a cell as a GeoJSON Feature: its WGS84 square and its id, row and column.</summary>
public static class CellFeature
{
    /// <summary>Opens the feature and its properties, with <c>cell</c>, <c>row</c> and <c>col</c> written.</summary>
    public static void Begin(Utf8JsonWriter writer, Grid grid, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        Write(writer, grid, cell);
        writer.WriteStartObject("properties");
        writer.WriteNumber("cell", cell.Id);
        writer.WriteNumber("row", cell.Row);
        writer.WriteNumber("col", cell.Col);
    }

    /// <summary>Closes the properties and the feature.</summary>
    public static void End(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"geometry": {"type": "Polygon", ...}</c> for <paramref name="cell"/>, to 7 decimals (1 cm).</summary>
    private static void Write(Utf8JsonWriter writer, Grid grid, Cell cell)
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
