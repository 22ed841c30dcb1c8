using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// A fast forward projection for one area: exact projected coordinates on a regular lon/lat lattice, bilinearly
/// interpolated in between. A transverse Mercator is smooth, so the interpolation error falls with the square of the
/// lattice step; the step is halved until the error, checked against the exact projection where it is largest
/// (the middle of lattice cells and edges), is below <see cref="Tolerance"/>. This keeps the hot binning path to a
/// few multiplications per point instead of a full series evaluation.
/// </summary>
public sealed class LatticeProjection
{
    /// <summary>Largest interpolation error accepted, in metres (a tenth of PROJ agreement's 1 mm).</summary>
    public const double Tolerance = 1e-4;

    private const int MaxNodes = 1 << 22;

    private readonly double[] _xy; // interleaved x, y per node, row-major by latitude
    private readonly double _lon0;
    private readonly double _lat0;
    private readonly double _invStep;
    private readonly int _nLon;
    private readonly int _nLat;

    private LatticeProjection(double[] xy, double lon0, double lat0, double step, int nLon, int nLat, double maxError)
    {
        _xy = xy;
        _lon0 = lon0;
        _lat0 = lat0;
        Step = step;
        _invStep = 1.0 / step;
        _nLon = nLon;
        _nLat = nLat;
        MaxError = maxError;
    }

    /// <summary>Lattice spacing in degrees.</summary>
    public double Step { get; }

    /// <summary>Largest difference from the exact projection found when the lattice was checked, in metres.</summary>
    public double MaxError { get; }

    /// <summary>
    /// Builds a lattice covering <paramref name="bounds"/>, or returns null when the area is too large for a lattice
    /// of acceptable size (callers then project exactly).
    /// </summary>
    public static LatticeProjection? Build(Projection projection, GeoBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(projection);
        for (var step = 1.0 / 256; ; step /= 2)
        {
            var lon0 = Math.Floor(bounds.MinLon / step) * step;
            var lat0 = Math.Floor(bounds.MinLat / step) * step;
            var nLon = (int)Math.Ceiling((bounds.MaxLon - lon0) / step) + 2;
            var nLat = (int)Math.Ceiling((bounds.MaxLat - lat0) / step) + 2;
            if ((long)nLon * nLat > MaxNodes) return null;

            var xy = new double[2 * nLon * nLat];
            for (var j = 0; j < nLat; j++)
            {
                for (var i = 0; i < nLon; i++)
                {
                    var (x, y) = projection.Forward(lon0 + (i * step), lat0 + (j * step));
                    var k = 2 * ((j * nLon) + i);
                    xy[k] = x;
                    xy[k + 1] = y;
                }
            }

            var candidate = new LatticeProjection(xy, lon0, lat0, step, nLon, nLat, 0);
            var error = candidate.MeasureError(projection);
            if (error <= Tolerance) return new LatticeProjection(xy, lon0, lat0, step, nLon, nLat, error);
        }
    }

    /// <summary>Projects a lon/lat; false when the point lies outside the lattice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryForward(double lon, double lat, out double x, out double y)
    {
        var u = (lon - _lon0) * _invStep;
        var v = (lat - _lat0) * _invStep;
        // NaN and negative values fail these comparisons too.
        if (!(u >= 0 && v >= 0 && u < _nLon - 1 && v < _nLat - 1))
        {
            x = y = 0;
            return false;
        }

        var i = (int)u;
        var j = (int)v;
        var t = u - i;
        var s = v - j;
        var k = 2 * ((j * _nLon) + i);
        var up = 2 * _nLon;
        ref var p = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_xy);
        var x00 = Unsafe.Add(ref p, k);
        var y00 = Unsafe.Add(ref p, k + 1);
        var x10 = Unsafe.Add(ref p, k + 2);
        var y10 = Unsafe.Add(ref p, k + 3);
        var x01 = Unsafe.Add(ref p, k + up);
        var y01 = Unsafe.Add(ref p, k + up + 1);
        var x11 = Unsafe.Add(ref p, k + up + 2);
        var y11 = Unsafe.Add(ref p, k + up + 3);
        var xb = x00 + (t * (x10 - x00));
        var xt = x01 + (t * (x11 - x01));
        x = xb + (s * (xt - xb));
        var yb = y00 + (t * (y10 - y00));
        var yt = y01 + (t * (y11 - y01));
        y = yb + (s * (yt - yb));
        return true;
    }

    /// <summary>
    /// The cell ids (-1 outside) of the points four at a time with AVX2 gathers: the same arithmetic as
    /// <see cref="TryForward"/> followed by the cell computation of <see cref="Grid.TryLocateCell"/>, so results are
    /// identical. Returns how many leading points it did (none without AVX2); the caller does the rest one by one.
    /// </summary>
    internal unsafe int LocateCells(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, Span<int> cells,
        double originX, double originY, double invSize, int cols, int rows)
    {
        var n = lon.Length;
        var i = 0;
        if (Avx2.IsSupported && n >= 4)
        {
            var lon0 = Vector256.Create(_lon0);
            var lat0 = Vector256.Create(_lat0);
            var inv = Vector256.Create(_invStep);
            var zero = Vector256<double>.Zero;
            var maxU = Vector256.Create((double)(_nLon - 1));
            var maxV = Vector256.Create((double)(_nLat - 1));
            var nLon = Vector128.Create(_nLon);
            var up = 2 * _nLon;
            var ox = Vector256.Create(originX);
            var oy = Vector256.Create(originY);
            var invCell = Vector256.Create(invSize);
            var colsV = Vector128.Create(cols);
            var rowsV = Vector128.Create(rows);
            var minusOne = Vector128.Create(-1);
            fixed (double* pLon = lon, pLat = lat, xy = _xy)
            fixed (int* pCell = cells)
            {
                for (; i <= n - 4; i += 4)
                {
                    var u = Avx.Multiply(Avx.Subtract(Avx.LoadVector256(pLon + i), lon0), inv);
                    var v = Avx.Multiply(Avx.Subtract(Avx.LoadVector256(pLat + i), lat0), inv);
                    // NaN compares false, as in the scalar test.
                    var inside = Avx.And(Avx.And(Avx.CompareGreaterThanOrEqual(u, zero), Avx.CompareGreaterThanOrEqual(v, zero)),
                        Avx.And(Avx.CompareLessThan(u, maxU), Avx.CompareLessThan(v, maxV)));
                    // Lanes outside the lattice use node 0, so every gather stays in bounds; their result is discarded.
                    u = Avx.And(u, inside);
                    v = Avx.And(v, inside);
                    var iu = Avx.ConvertToVector128Int32WithTruncation(u);
                    var iv = Avx.ConvertToVector128Int32WithTruncation(v);
                    var t = Avx.Subtract(u, Avx.ConvertToVector256Double(iu));
                    var s = Avx.Subtract(v, Avx.ConvertToVector256Double(iv));
                    var k = Sse2.ShiftLeftLogical(Sse2.Add(Sse41.MultiplyLow(iv, nLon), iu), 1);
                    var x00 = Avx2.GatherVector256(xy, k, 8);
                    var y00 = Avx2.GatherVector256(xy + 1, k, 8);
                    var x10 = Avx2.GatherVector256(xy + 2, k, 8);
                    var y10 = Avx2.GatherVector256(xy + 3, k, 8);
                    var x01 = Avx2.GatherVector256(xy + up, k, 8);
                    var y01 = Avx2.GatherVector256(xy + up + 1, k, 8);
                    var x11 = Avx2.GatherVector256(xy + up + 2, k, 8);
                    var y11 = Avx2.GatherVector256(xy + up + 3, k, 8);
                    var xb = Avx.Add(x00, Avx.Multiply(t, Avx.Subtract(x10, x00)));
                    var xt = Avx.Add(x01, Avx.Multiply(t, Avx.Subtract(x11, x01)));
                    var x = Avx.Add(xb, Avx.Multiply(s, Avx.Subtract(xt, xb)));
                    var yb = Avx.Add(y00, Avx.Multiply(t, Avx.Subtract(y10, y00)));
                    var yt = Avx.Add(y01, Avx.Multiply(t, Avx.Subtract(y11, y01)));
                    var y = Avx.Add(yb, Avx.Multiply(s, Avx.Subtract(yt, yb)));
                    var fc = Avx.Multiply(Avx.Subtract(x, ox), invCell);
                    var fr = Avx.Multiply(Avx.Subtract(y, oy), invCell);
                    var nonNegative = Avx.And(Avx.CompareGreaterThanOrEqual(fc, zero), Avx.CompareGreaterThanOrEqual(fr, zero));
                    // Clamp before converting so huge values cannot overflow the conversion.
                    var col = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(fc, zero), Vector256.Create((double)cols)));
                    var row = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(fr, zero), Vector256.Create((double)rows)));
                    var ok = Sse2.And(Sse2.And(Sse2.CompareLessThan(col, colsV), Sse2.CompareLessThan(row, rowsV)),
                        Sse2.And(Narrow(inside), Narrow(nonNegative)));
                    var id = Sse2.Add(Sse41.MultiplyLow(row, colsV), col);
                    Sse2.Store(pCell + i, Sse41.BlendVariable(minusOne, id, ok));
                }
            }
        }

        return i;
    }

    // A 4 x 64-bit all-ones/all-zeros mask as 4 x 32-bit lanes.
    private static Vector128<int> Narrow(Vector256<double> mask) =>
        Avx2.PermuteVar8x32(mask.AsInt32(), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7)).GetLower();

    private double MeasureError(Projection projection)
    {
        // Bilinear error peaks mid-cell and mid-edge; checking those points on every lattice cell bounds it.
        var max = 0.0;
        var stride = Math.Max(1, (int)Math.Sqrt((_nLon - 1) * (double)(_nLat - 1) / 40_000.0));
        for (var j = 0; j < _nLat - 1; j += stride)
        {
            for (var i = 0; i < _nLon - 1; i += stride)
            {
                foreach (var (fi, fj) in (ReadOnlySpan<(double, double)>)[(0.5, 0.5), (0.5, 0.0), (0.0, 0.5)])
                {
                    var lon = _lon0 + ((i + fi) / _invStep);
                    var lat = _lat0 + ((j + fj) / _invStep);
                    var (ex, ey) = projection.Forward(lon, lat);
                    TryForward(lon, lat, out var ax, out var ay);
                    max = Math.Max(max, Math.Max(Math.Abs(ax - ex), Math.Abs(ay - ey)));
                }
            }
        }

        return max;
    }
}
