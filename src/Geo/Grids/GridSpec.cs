namespace CrowdWatch.Geo.Grids;

/// <summary>
/// A resolved grid: square cells of <see cref="CellSizeM"/> metres in the projected CRS <see cref="Epsg"/>, whose
/// south-west corner is (<see cref="OriginX"/>, <see cref="OriginY"/>). The origin is snapped to a multiple of the
/// cell size so that grids of the same CRS and cell size share cell edges.
/// </summary>
public sealed record GridSpec(int Epsg, double OriginX, double OriginY, double CellSizeM, int Rows, int Cols)
{
    /// <summary>Largest number of cells a grid may have (ids are 32-bit and per-cell arrays are dense).</summary>
    public const int MaxCells = 1 << 24;

    /// <summary>Number of cells.</summary>
    public int CellCount => Rows * Cols;

    /// <summary>East edge in projected metres.</summary>
    public double MaxX => OriginX + (Cols * CellSizeM);

    /// <summary>North edge in projected metres.</summary>
    public double MaxY => OriginY + (Rows * CellSizeM);

    /// <summary>Resolves a user's definition into a spec, or explains what is wrong with it.</summary>
    public static GridSpec Create(GridDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!(definition.CellSizeM is >= 1 and <= 100_000))
            throw new ArgumentException($"cell size must be between 1 and 100000 m, got {definition.CellSizeM}");

        double minX, minY, maxX, maxY;
        Projection projection;
        if (definition.Bounds is { } b)
        {
            if (!b.IsValid(out var reason)) throw new ArgumentException($"bounds: {reason}");
            var (clon, clat) = b.Centre;
            projection = new Projection(definition.Epsg is { } e ? CrsCatalog.Resolve(e) : CrsCatalog.UtmFor(clon, clat));
            // The box's edges are curves in the projected plane: sample them densely so the grid covers all of it.
            (minX, minY, maxX, maxY) = (double.MaxValue, double.MaxValue, double.MinValue, double.MinValue);
            const int steps = 64;
            for (var i = 0; i <= steps; i++)
            {
                var f = i / (double)steps;
                Span<(double, double)> edge =
                [
                    (b.MinLon + (f * (b.MaxLon - b.MinLon)), b.MinLat), (b.MinLon + (f * (b.MaxLon - b.MinLon)), b.MaxLat),
                    (b.MinLon, b.MinLat + (f * (b.MaxLat - b.MinLat))), (b.MaxLon, b.MinLat + (f * (b.MaxLat - b.MinLat))),
                ];
                foreach (var (lon, lat) in edge)
                {
                    var (x, y) = projection.Forward(lon, lat);
                    minX = Math.Min(minX, x); minY = Math.Min(minY, y);
                    maxX = Math.Max(maxX, x); maxY = Math.Max(maxY, y);
                }
            }
        }
        else if (definition.Centre is { } c)
        {
            if (!(c.Lon is >= -180 and <= 180 && c.Lat is >= -90 and <= 90))
                throw new ArgumentException($"centre ({c.Lon}, {c.Lat}) is not a lon/lat on the globe");
            if (!(definition.WidthM > 0 && definition.HeightM > 0))
                throw new ArgumentException("a centre needs a positive width and height in metres");
            projection = new Projection(definition.Epsg is { } e ? CrsCatalog.Resolve(e) : CrsCatalog.UtmFor(c.Lon, c.Lat));
            var (cx, cy) = projection.Forward(c.Lon, c.Lat);
            (minX, minY, maxX, maxY) = (cx - (definition.WidthM / 2), cy - (definition.HeightM / 2), cx + (definition.WidthM / 2), cy + (definition.HeightM / 2));
        }
        else
        {
            throw new ArgumentException("a grid needs either bounds or a centre with width and height");
        }

        CheckWithinZone(projection, minX, minY, maxX, maxY);
        var size = definition.CellSizeM;
        var ox = Math.Floor(minX / size) * size;
        var oy = Math.Floor(minY / size) * size;
        var cols = (long)Math.Ceiling((maxX - ox) / size);
        var rows = (long)Math.Ceiling((maxY - oy) / size);
        if (cols * rows > MaxCells)
            throw new ArgumentException($"the grid would have {rows} x {cols} cells; at most {MaxCells} are allowed: use larger cells or split the area");
        return new GridSpec(projection.Crs.Epsg, ox, oy, size, (int)rows, (int)cols);
    }

    // A transverse Mercator is exact only near its central meridian: beyond a degree past the zone's edge the scale
    // error passes 0.1% and agreement with PROJ is no longer tested, so such a grid is refused rather than skewed.
    private static void CheckWithinZone(Projection projection, double minX, double minY, double maxX, double maxY)
    {
        var crs = projection.Crs;
        var limit = crs.ZoneHalfWidthDegrees + 1.0;
        foreach (var (x, y) in new[] { (minX, minY), (maxX, minY), (minX, maxY), (maxX, maxY) })
        {
            var (lon, _) = projection.Inverse(x, y);
            var offset = Math.Abs(((lon - crs.CentralMeridian + 540.0) % 360.0) - 180.0);
            if (!(offset <= limit))
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"the area reaches {lon:0.###}°, {offset:0.#}° from the central meridian ({crs.CentralMeridian}°) of EPSG:{crs.Epsg} {crs.Name}; "
                    + $"grids may reach at most {limit}° from it: split the area into areas of their own, or name the CRS of the zone it lies in"));
        }
    }
}
