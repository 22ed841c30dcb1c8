using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Privacy;
using NetTopologySuite.Geometries;
using ScottPlot;

namespace CrowdWatch.Dashboard.Charts;

/// <summary>
/// Renders one slot as a PNG heat map in the grid's own metres: density in persons per walkable m² on a colour
/// scale with its legend, low-density cells (below k) in grey with no number, and zone outlines with their names.
/// </summary>
public static class HeatmapPng
{
    /// <summary>Saves the PNG to <paramref name="path"/>.</summary>
    public static void Save(string path, Area area, string slotLabel, IReadOnlyList<ViewerDensity> cells, int width = 1600, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(cells);
        var spec = area.Grid.Spec;
        var density = new double[spec.Rows, spec.Cols];
        var low = new double[spec.Rows, spec.Cols];
        for (var r = 0; r < spec.Rows; r++)
            for (var c = 0; c < spec.Cols; c++)
                density[r, c] = low[r, c] = double.NaN;

        var max = 0.0;
        var lowCount = 0;
        foreach (var v in cells)
        {
            var cell = area.Grid.CellAt(v.CellId);
            var row = spec.Rows - 1 - cell.Row; // heatmap row 0 is the top; grid row 0 is the south edge
            if (v.IsLowDensity) { low[row, cell.Col] = 1; lowCount++; }
            else { density[row, cell.Col] = v.Density!.Value; max = Math.Max(max, v.Density.Value); }
        }

        var plot = new Plot();
        // Only zone names need CJK glyphs; the rest keeps the default font, whose metrics ScottPlot lays out exactly.
        var font = ChartFont.Family;
        var extent = new CoordinateRect(0, spec.Cols * spec.CellSizeM / 1000.0, 0, spec.Rows * spec.CellSizeM / 1000.0);

        // A layer of nothing but NaN has no range to draw: leave it out when no cell is below k.
        if (lowCount > 0)
        {
            var lowLayer = plot.Add.Heatmap(low);
            lowLayer.Rectangle = extent;
            lowLayer.Colormap = new ScottPlot.Colormaps.Custom([Colors.LightGrey, Colors.LightGrey]);
            lowLayer.ManualRange = new ScottPlot.Range(0, 2.5);
            lowLayer.NaNCellColor = Colors.Transparent;
        }

        // Likewise a slot where every occupied cell is under k: grey cells only, no scale.
        if (cells.Count > lowCount)
        {
            var heat = plot.Add.Heatmap(density);
            heat.Rectangle = extent;
            heat.Colormap = new ScottPlot.Colormaps.Turbo();
            // Fix the bottom at zero and keep at least 2 persons/m² of range so a quiet evening does not look alarming.
            heat.ManualRange = new ScottPlot.Range(0, Math.Max(2.0, Math.Ceiling(max * 2) / 2));
            heat.NaNCellColor = Colors.Transparent;
            var bar = plot.Add.ColorBar(heat);
            bar.Label = "persons / m² (walkable)";
        }

        AddZones(plot, area, font);

        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = $"{KThreshold.LowDensity}: fewer than {area.K.K} people or devices ({lowCount} cells)",
            FillColor = Colors.LightGrey,
        });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.Title($"{area.Name} — {slotLabel} ({area.Settings.SlotMinutes} min) — {spec.CellSizeM:0} m cells, EPSG:{spec.Epsg}");
        plot.XLabel("km east of grid origin");
        plot.YLabel("km north of grid origin");
        plot.Axes.SquareUnits();
        plot.Axes.SetLimits(extent);
        plot.SavePng(path, width, height);
    }

    // Each zone's outline and its name at its centre, in km from the grid's origin.
    private static void AddZones(Plot plot, Area area, string font)
    {
        var spec = area.Grid.Spec;
        for (var z = 0; z < area.Zones.Zones.Count; z++)
        {
            var projected = area.Grid.Projection.Forward(area.Zones.Zones[z].Geometry);
            foreach (var polygon in Polygons(projected))
            {
                var ring = polygon.ExteriorRing.Coordinates
                    .Select(p => new ScottPlot.Coordinates((p.X - spec.OriginX) / 1000.0, (p.Y - spec.OriginY) / 1000.0)).ToArray();
                var shape = plot.Add.Polygon(ring);
                shape.FillColor = Colors.Transparent;
                shape.LineColor = Colors.Black.WithAlpha(0.7);
                shape.LineWidth = 1;
            }

            var centre = projected.Centroid;
            var label = plot.Add.Text(area.Zones.Zones[z].Name, (centre.X - spec.OriginX) / 1000.0, (centre.Y - spec.OriginY) / 1000.0);
            label.LabelFontSize = 11;
            label.LabelFontName = font;
            label.LabelFontColor = Colors.White; // the scale is dark where most of the map is
        }
    }

    private static IEnumerable<Polygon> Polygons(Geometry g) => g switch
    {
        Polygon p => [p],
        MultiPolygon mp => mp.Geometries.OfType<Polygon>(),
        _ => [],
    };
}
