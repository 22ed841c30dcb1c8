using System.Text.Json;
using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Dashboard.Heatmap;

/// <summary>Writes a whole grid as GeoJSON: each cell's WGS84 square with its id, row, col and areas.</summary>
public static class GridGeoJson
{
    /// <summary>Writes the collection to <paramref name="stream"/>, one cell at a time.</summary>
    public static void Write(Stream stream, Area area)
    {
        ArgumentNullException.ThrowIfNull(area);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartObject("properties");
        w.WriteString("area", area.Name);
        w.WriteNumber("epsg", area.Grid.Spec.Epsg);
        w.WriteNumber("cell_size_m", area.Grid.Spec.CellSizeM);
        w.WriteEndObject();
        w.WriteStartArray("features");
        for (var id = 0; id < area.Grid.Spec.CellCount; id++)
        {
            var cell = area.Grid.CellAt(id);
            CellFeature.Begin(w, area.Grid, cell);
            w.WriteNumber("area_m2", Math.Round(area.Grid.CellAreaM2(cell), 1));
            w.WriteNumber("walkable_m2", Math.Round(area.WalkableM2[cell.Id], 1));
            CellFeature.End(w);
            if (id % 4096 == 4095) w.Flush();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
