using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// A fast forward projection for one area: projected x and y as polynomials in lon and lat, fitted to the exact
/// projection over the area. A transverse Mercator is analytic and an area is small against the Earth, so the
/// Chebyshev coefficients of x and y fall by roughly the ratio of the area's size to the Earth's radius per degree;
/// the degree is raised until the error, checked against the exact projection on a dense grid of points over the area,
/// is below <see cref="Tolerance"/>. Evaluating it is a few dozen multiply-adds per point and reads no table, so the
/// hot binning path neither calls ProjNET nor waits on memory.
/// </summary>
public sealed class PolynomialProjection
{
    /// <summary>Largest error accepted, in metres (a tenth of PROJ agreement's 1 mm).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Highest degree tried before giving up on an area (callers then project exactly).</summary>
    public const int MaxDegree = 14;

    private const int CheckPoints = 121;

    private readonly double[] _x; // monomial coefficients, [j * (Degree + 1) + i] multiplies u^i v^j
    private readonly double[] _y;
    private readonly double _lonMid;
    private readonly double _latMid;
    private readonly double _lonScale;
    private readonly double _latScale;

    private PolynomialProjection(int degree, double[] x, double[] y, double lonMid, double latMid, double lonScale, double latScale)
    {
        Degree = degree;
        _x = x;
        _y = y;
        _lonMid = lonMid;
        _latMid = latMid;
        _lonScale = lonScale;
        _latScale = latScale;
    }

    /// <summary>Degree in lon and in lat.</summary>
    public int Degree { get; }

    /// <summary>Largest difference from the exact projection found when the fit was checked, in metres.</summary>
    public double MaxError { get; private set; }

    /// <summary>
    /// Fits x and y over <paramref name="bounds"/> (widened by a small margin), or returns null when no degree up to
    /// <paramref name="maxDegree"/> reaches <see cref="Tolerance"/>.
    /// </summary>
    public static PolynomialProjection? Build(Projection projection, GeoBounds bounds, int maxDegree = MaxDegree)
    {
        ArgumentNullException.ThrowIfNull(projection);
        // The margin keeps the fit's edge, where its error is largest, just outside the points that matter.
        var lonHalf = (bounds.MaxLon - bounds.MinLon) * 0.51;
        var latHalf = (bounds.MaxLat - bounds.MinLat) * 0.51;
        if (!(lonHalf > 0 && latHalf > 0)) return null;
        var lonMid = (bounds.MinLon + bounds.MaxLon) / 2;
        var latMid = (bounds.MinLat + bounds.MaxLat) / 2;
        for (var degree = 2; degree <= Math.Min(maxDegree, MaxDegree); degree++)
        {
            var (x, y) = Fit(projection, degree, lonMid, latMid, lonHalf, latHalf);
            var candidate = new PolynomialProjection(degree, x, y, lonMid, latMid, 1 / lonHalf, 1 / latHalf);
            candidate.MaxError = candidate.MeasureError(projection, lonHalf, latHalf);
            if (candidate.MaxError <= Tolerance) return candidate;
        }

        return null;
    }

    /// <summary>Projects a lon/lat; false when the point lies outside the fitted area.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryForward(double lon, double lat, out double x, out double y)
    {
        var u = (lon - _lonMid) * _lonScale;
        var v = (lat - _latMid) * _latScale;
        // NaN fails these comparisons too.
        if (!(u >= -1 && u <= 1 && v >= -1 && v <= 1))
        {
            x = y = 0;
            return false;
        }

        x = Evaluate(_x, Degree, u, v);
        y = Evaluate(_y, Degree, u, v);
        return true;
    }

    /// <summary>
    /// The cell ids (-1 outside) of the points four at a time: the same operations, in the same order, as
    /// <see cref="TryForward"/> followed by the cell computation of <see cref="Grid.TryLocateCell"/>, so results are
    /// identical. Returns how many leading points it did (none without AVX2 and FMA); the caller does the rest one by one.
    /// </summary>
    internal unsafe int LocateCells(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, Span<int> cells,
        double originX, double originY, double invSize, int cols, int rows)
    {
        var n = lon.Length;
        var i = 0;
        if (!(Avx2.IsSupported && Fma.IsSupported) || n < 4) return 0;
        var lonMid = Vector256.Create(_lonMid);
        var latMid = Vector256.Create(_latMid);
        var lonScale = Vector256.Create(_lonScale);
        var latScale = Vector256.Create(_latScale);
        var one = Vector256.Create(1.0);
        var minusOneD = Vector256.Create(-1.0);
        var zero = Vector256<double>.Zero;
        var ox = Vector256.Create(originX);
        var oy = Vector256.Create(originY);
        var invCell = Vector256.Create(invSize);
        var colsD = Vector256.Create((double)cols);
        var rowsD = Vector256.Create((double)rows);
        var colsV = Vector128.Create(cols);
        var rowsV = Vector128.Create(rows);
        var minusOne = Vector128.Create(-1);
        var degree = Degree;
        var stride = degree + 1;
        fixed (double* pLon = lon, pLat = lat, px = _x, py = _y)
        fixed (int* pCell = cells)
        {
            for (; i <= n - 4; i += 4)
            {
                var u = Avx.Multiply(Avx.Subtract(Avx.LoadVector256(pLon + i), lonMid), lonScale);
                var v = Avx.Multiply(Avx.Subtract(Avx.LoadVector256(pLat + i), latMid), latScale);
                var inside = Avx.And(Avx.And(Avx.CompareGreaterThanOrEqual(u, minusOneD), Avx.CompareLessThanOrEqual(u, one)),
                    Avx.And(Avx.CompareGreaterThanOrEqual(v, minusOneD), Avx.CompareLessThanOrEqual(v, one)));
                // Horner in u for each power of v, then in v: x and y side by side so their chains overlap.
                var rowX = px + (degree * stride);
                var rowY = py + (degree * stride);
                var x = Row(rowX, degree, u);
                var y = Row(rowY, degree, u);
                for (var j = degree - 1; j >= 0; j--)
                {
                    rowX -= stride;
                    rowY -= stride;
                    x = Fma.MultiplyAdd(x, v, Row(rowX, degree, u));
                    y = Fma.MultiplyAdd(y, v, Row(rowY, degree, u));
                }

                var fc = Avx.Multiply(Avx.Subtract(x, ox), invCell);
                var fr = Avx.Multiply(Avx.Subtract(y, oy), invCell);
                var nonNegative = Avx.And(Avx.CompareGreaterThanOrEqual(fc, zero), Avx.CompareGreaterThanOrEqual(fr, zero));
                // Clamp before converting so huge or NaN values cannot overflow the conversion (the mask drops them).
                var col = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(fc, zero), colsD));
                var row = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(fr, zero), rowsD));
                var ok = Sse2.And(Sse2.And(Sse2.CompareLessThan(col, colsV), Sse2.CompareLessThan(row, rowsV)),
                    Sse2.And(Narrow(inside), Narrow(nonNegative)));
                var id = Sse2.Add(Sse41.MultiplyLow(row, colsV), col);
                Sse2.Store(pCell + i, Sse41.BlendVariable(minusOne, id, ok));
            }
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Row(double* coefficients, int degree, Vector256<double> u)
    {
        var acc = Vector256.Create(coefficients[degree]);
        for (var i = degree - 1; i >= 0; i--) acc = Fma.MultiplyAdd(acc, u, Vector256.Create(coefficients[i]));
        return acc;
    }

    // The scalar twin of the vector evaluation: fused multiply-adds in the same order give the same bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate(double[] coefficients, int degree, double u, double v)
    {
        var stride = degree + 1;
        ref var c = ref MemoryMarshal.GetArrayDataReference(coefficients);
        var acc = ScalarRow(ref Unsafe.Add(ref c, degree * stride), degree, u);
        for (var j = degree - 1; j >= 0; j--) acc = Math.FusedMultiplyAdd(acc, v, ScalarRow(ref Unsafe.Add(ref c, j * stride), degree, u));
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScalarRow(ref double coefficients, int degree, double u)
    {
        var acc = Unsafe.Add(ref coefficients, degree);
        for (var i = degree - 1; i >= 0; i--) acc = Math.FusedMultiplyAdd(acc, u, Unsafe.Add(ref coefficients, i));
        return acc;
    }

    // A 4 x 64-bit all-ones/all-zeros mask as 4 x 32-bit lanes.
    private static Vector128<int> Narrow(Vector256<double> mask) =>
        Avx2.PermuteVar8x32(mask.AsInt32(), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7)).GetLower();

    /// <summary>
    /// Chebyshev interpolation on the tensor grid of Chebyshev nodes (no equations to solve, and near-minimax), then
    /// the series rewritten as monomials in u and v, which on [-1, 1] and at these degrees loses nothing measurable.
    /// </summary>
    private static (double[] X, double[] Y) Fit(Projection projection, int degree, double lonMid, double latMid, double lonHalf, double latHalf)
    {
        var n = degree + 1;
        var nodes = new double[n];
        for (var k = 0; k < n; k++) nodes[k] = Math.Cos(Math.PI * (k + 0.5) / n);
        var fx = new double[n, n];
        var fy = new double[n, n];
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                (fx[a, b], fy[a, b]) = projection.Forward(lonMid + (nodes[a] * lonHalf), latMid + (nodes[b] * latHalf));
            }
        }

        // t[m, k] = T_m(node k)
        var t = new double[n, n];
        for (var k = 0; k < n; k++)
        {
            t[0, k] = 1;
            if (n > 1) t[1, k] = nodes[k];
            for (var m = 2; m < n; m++) t[m, k] = (2 * nodes[k] * t[m - 1, k]) - t[m - 2, k];
        }

        // power[m, i]: the coefficient of u^i in T_m(u).
        var power = new double[n, n];
        power[0, 0] = 1;
        if (n > 1) power[1, 1] = 1;
        for (var m = 2; m < n; m++)
        {
            for (var i = 0; i < n; i++)
            {
                power[m, i] = (i > 0 ? 2 * power[m - 1, i - 1] : 0) - power[m - 2, i];
            }
        }

        return (ToMonomials(Chebyshev(fx, t, n), power, n), ToMonomials(Chebyshev(fy, t, n), power, n));
    }

    private static double[,] Chebyshev(double[,] f, double[,] t, int n)
    {
        var c = new double[n, n];
        for (var m = 0; m < n; m++)
        {
            for (var l = 0; l < n; l++)
            {
                var sum = 0.0;
                for (var a = 0; a < n; a++)
                {
                    for (var b = 0; b < n; b++) sum += f[a, b] * t[m, a] * t[l, b];
                }

                c[m, l] = sum * (m == 0 ? 1.0 : 2.0) * (l == 0 ? 1.0 : 2.0) / (n * n);
            }
        }

        return c;
    }

    private static double[] ToMonomials(double[,] c, double[,] power, int n)
    {
        var p = new double[n * n];
        for (var m = 0; m < n; m++)
        {
            for (var l = 0; l < n; l++)
            {
                for (var i = 0; i <= m; i++)
                {
                    if (power[m, i] == 0) continue;
                    for (var j = 0; j <= l; j++) p[(j * n) + i] += c[m, l] * power[m, i] * power[l, j];
                }
            }
        }

        return p;
    }

    private double MeasureError(Projection projection, double lonHalf, double latHalf)
    {
        // A polynomial's error is smooth and oscillates no faster than its degree, so a grid many times denser than
        // the degree, edges included, finds its maximum.
        var max = 0.0;
        for (var a = 0; a < CheckPoints; a++)
        {
            for (var b = 0; b < CheckPoints; b++)
            {
                var lon = _lonMid + (lonHalf * ((2.0 * a / (CheckPoints - 1)) - 1));
                var lat = _latMid + (latHalf * ((2.0 * b / (CheckPoints - 1)) - 1));
                var (ex, ey) = projection.Forward(lon, lat);
                if (!TryForward(lon, lat, out var ax, out var ay)) continue;
                max = Math.Max(max, Math.Max(Math.Abs(ax - ex), Math.Abs(ay - ey)));
            }
        }

        return max;
    }
}
