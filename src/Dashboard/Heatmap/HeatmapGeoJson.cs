using System.Text.Json;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Heatmap;

/// <summary>
/// Writes one slot as a GeoJSON FeatureCollection of cells for viewers: each occupied cell's WGS84 square with
/// <c>dataType: DENSITY_ESTIMATION</c> with <c>people</c> and <c>density</c> (persons per walkable m²), or, below k,
/// <c>dataType: LOW_DENSITY</c> and no numbers: the vocabulary of the CAMARA Population Density Data API.
/// </summary>
public static class HeatmapGeoJson
{
    /// <summary>Writes the collection to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Area area, string slotLabel, IReadOnlyList<ViewerDensity> cells)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(cells);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartObject("properties");
        w.WriteString("area", area.Name);
        w.WriteString("slot_start", slotLabel);
        w.WriteNumber("slot_minutes", area.Settings.SlotMinutes);
        w.WriteNumber("k", area.K.K);
        w.WriteString("density_unit", "persons/m2 walkable");
        w.WriteEndObject();
        w.WriteStartArray("features");
        foreach (var c in cells)
        {
            var cell = area.Grid.CellAt(c.CellId);
            CellFeature.Begin(w, area.Grid, cell);
            w.WriteNumber("walkable_m2", Math.Round(area.WalkableM2[cell.Id], 1));
            if (c.IsLowDensity)
            {
                w.WriteString("dataType", KThreshold.LowDensity);
            }
            else
            {
                w.WriteString("dataType", KThreshold.DensityEstimation);
                w.WriteNumber("people", Math.Round(c.People!.Value, 1));
                w.WriteNumber("density", Math.Round(c.Density!.Value, 4));
                w.WriteString("level", LevelThresholds.Default.LevelOf(c.Density.Value).Colour());
            }

            CellFeature.End(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
