using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// A grid ready for use: its <see cref="GridSpec"/>, the exact <see cref="Projection"/> and the fast
/// <see cref="PolynomialProjection"/> used on hot paths.
/// </summary>
public sealed class Grid
{
    private static readonly GeometryFactory Wgs84Factory = new(new PrecisionModel(), 4326);

    private readonly PolynomialProjection? _fast;
    private readonly double _invSize;

    // The spec's numbers copied into this object, so the hot lookup reads them without going through the record.
    private readonly double _originX;
    private readonly double _originY;
    private readonly int _rows;
    private readonly int _cols;

    /// <summary>Builds the grid for a spec.</summary>
    public Grid(GridSpec spec)
        : this(spec, PolynomialProjection.MaxDegree)
    {
    }

    /// <summary>Builds the grid, fitting its fast projection up to <paramref name="maxFitDegree"/> (tests lower it).</summary>
    internal Grid(GridSpec spec, int maxFitDegree)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Projection = new Projection(CrsCatalog.Resolve(spec.Epsg));
        _invSize = 1.0 / spec.CellSizeM;
        (_originX, _originY, _rows, _cols) = (spec.OriginX, spec.OriginY, spec.Rows, spec.Cols);
        Bounds = ComputeBounds();
        _fast = PolynomialProjection.Build(Projection, Bounds, maxFitDegree);
    }

    /// <summary>The spec.</summary>
    public GridSpec Spec { get; }

    /// <summary>The exact projection.</summary>
    public Projection Projection { get; }

    /// <summary>The fitted projection used by <see cref="TryLocateCell"/>, or null when the grid is too large for one.</summary>
    public PolynomialProjection? FastProjection => _fast;

    /// <summary>The WGS84 bounding box of the whole grid.</summary>
    public GeoBounds Bounds { get; }

    /// <summary>Builds a grid from a user's definition.</summary>
    public static Grid Create(GridDefinition definition) => new(GridSpec.Create(definition));

    /// <summary>Locates a lon/lat exactly, or returns null when it lies outside the grid.</summary>
    public CellLocation? Locate(double lon, double lat)
    {
        if (!(lon is >= -180 and <= 180 && lat is >= -90 and <= 90)) return null;
        var (x, y) = Projection.Forward(lon, lat);
        var col = (int)Math.Floor((x - Spec.OriginX) * _invSize);
        var row = (int)Math.Floor((y - Spec.OriginY) * _invSize);
        if ((uint)col >= (uint)Spec.Cols || (uint)row >= (uint)Spec.Rows) return null;
        return new CellLocation(x, y, row, col, (row * Spec.Cols) + col);
    }

    /// <summary>
    /// The hot-path locate: the cell id of a lon/lat through the fitted projection, or -1 outside the grid. Agrees with
    /// <see cref="Locate"/> except within a tenth of a millimetre of a cell edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryLocateCell(double lon, double lat)
    {
        // Without a fit (a grid too large for one) the exact lookup is the only way.
        if (_fast is null) return Locate(lon, lat)?.CellId ?? -1;
        if (!_fast.TryForward(lon, lat, out var x, out var y)) return -1;
        var fc = (x - _originX) * _invSize;
        var fr = (y - _originY) * _invSize;
        if (!(fc >= 0 && fr >= 0)) return -1;
        var col = (int)fc;
        var row = (int)fr;
        if (col >= _cols || row >= _rows) return -1;
        return (row * _cols) + col;
    }

    /// <summary>
    /// <see cref="TryLocateCell"/> for many points at once, with identical results: the binning pre-pass, vectorised
    /// where the CPU allows.
    /// </summary>
    public void LocateCells(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, Span<int> cells)
    {
        if (lat.Length != lon.Length || cells.Length < lon.Length)
            throw new ArgumentException("lon and lat must have the same length, and cells at least that");
        var done = _fast?.LocateCells(lon, lat, cells, _originX, _originY, _invSize, _cols, _rows) ?? 0;
        for (var i = done; i < lon.Length; i++) cells[i] = TryLocateCell(lon[i], lat[i]);
    }

    /// <summary>The cell with this id.</summary>
    public Cell CellAt(int id)
    {
        if ((uint)id >= (uint)Spec.CellCount) throw new ArgumentOutOfRangeException(nameof(id), id, $"cell ids run from 0 to {Spec.CellCount - 1}");
        return new Cell(id, id / Spec.Cols, id % Spec.Cols);
    }

    /// <summary>The cell at (row, col).</summary>
    public Cell CellAt(int row, int col)
    {
        if ((uint)row >= (uint)Spec.Rows || (uint)col >= (uint)Spec.Cols)
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {col}) is outside the {Spec.Rows} x {Spec.Cols} grid");
        return new Cell((row * Spec.Cols) + col, row, col);
    }

    /// <summary>The cell's square in projected metres.</summary>
    public Envelope CellEnvelope(Cell cell)
    {
        var x0 = Spec.OriginX + (cell.Col * Spec.CellSizeM);
        var y0 = Spec.OriginY + (cell.Row * Spec.CellSizeM);
        return new Envelope(x0, x0 + Spec.CellSizeM, y0, y0 + Spec.CellSizeM);
    }

    /// <summary>
    /// The rows and columns of the cells an envelope in projected metres touches, clipped to the grid; empty
    /// (<c>RowFrom &gt; RowTo</c>) when it misses the grid.
    /// </summary>
    public (int RowFrom, int RowTo, int ColFrom, int ColTo) CellRange(Envelope projected)
    {
        ArgumentNullException.ThrowIfNull(projected);
        var s = Spec;
        return (Math.Max(0, (int)Math.Floor((projected.MinY - s.OriginY) / s.CellSizeM)),
            Math.Min(s.Rows - 1, (int)Math.Floor((projected.MaxY - s.OriginY) / s.CellSizeM)),
            Math.Max(0, (int)Math.Floor((projected.MinX - s.OriginX) / s.CellSizeM)),
            Math.Min(s.Cols - 1, (int)Math.Floor((projected.MaxX - s.OriginX) / s.CellSizeM)));
    }

    /// <summary>The cell's centre in lon/lat.</summary>
    public (double Lon, double Lat) CellCentre(Cell cell)
    {
        var e = CellEnvelope(cell);
        return Projection.Inverse(e.Centre.X, e.Centre.Y);
    }

    /// <summary>The cell's outline in WGS84 (counter-clockwise, closed), ready for GeoJSON.</summary>
    public Polygon CellPolygon(Cell cell)
    {
        var e = CellEnvelope(cell);
        Coordinate Corner(double x, double y)
        {
            var (lon, lat) = Projection.Inverse(x, y);
            return new Coordinate(lon, lat);
        }

        var sw = Corner(e.MinX, e.MinY);
        return Wgs84Factory.CreatePolygon([sw, Corner(e.MaxX, e.MinY), Corner(e.MaxX, e.MaxY), Corner(e.MinX, e.MaxY), sw.Copy()]);
    }

    /// <summary>
    /// The cell's ground area in m²: its planar area divided by the square of the projection's scale factor at the
    /// cell centre (UTM shrinks the ground by up to 0.04% near the central meridian and grows it towards zone edges).
    /// </summary>
    public double CellAreaM2(Cell cell)
    {
        var (lon, lat) = CellCentre(cell);
        var k = PointScale(lon, lat);
        return Spec.CellSizeM * Spec.CellSizeM / (k * k);
    }

    /// <summary>The transverse Mercator point scale factor at a lon/lat (spherical approximation, good to 1e-6).</summary>
    public double PointScale(double lon, double lat)
    {
        var b = Math.Cos(lat * Math.PI / 180.0) * Math.Sin((lon - Projection.Crs.CentralMeridian) * Math.PI / 180.0);
        return Projection.Crs.ScaleFactor / Math.Sqrt(1.0 - (b * b));
    }

    private GeoBounds ComputeBounds()
    {
        var (minLon, minLat, maxLon, maxLat) = (double.MaxValue, double.MaxValue, double.MinValue, double.MinValue);
        const int steps = 64;
        for (var i = 0; i <= steps; i++)
        {
            var f = i / (double)steps;
            var x = Spec.OriginX + (f * (Spec.MaxX - Spec.OriginX));
            var y = Spec.OriginY + (f * (Spec.MaxY - Spec.OriginY));
            Span<(double, double)> edge = [(x, Spec.OriginY), (x, Spec.MaxY), (Spec.OriginX, y), (Spec.MaxX, y)];
            foreach (var (px, py) in edge)
            {
                var (lon, lat) = Projection.Inverse(px, py);
                minLon = Math.Min(minLon, lon); minLat = Math.Min(minLat, lat);
                maxLon = Math.Max(maxLon, lon); maxLat = Math.Max(maxLat, lat);
            }
        }

        // Edges bulge between samples by far less than this margin (~100 m).
        const double margin = 1e-3;
        return new GeoBounds(minLon - margin, minLat - margin, maxLon + margin, maxLat + margin);
    }
}
