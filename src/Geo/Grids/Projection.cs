using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CrowdWatch.Geo.Grids;

/// <summary>
/// Exact lon/lat ↔ projected x/y conversion for one <see cref="CrsDefinition"/>, computed by ProjNET. Geographic
/// coordinates are taken on the CRS's own ellipsoid: WGS 84 and CGCS2000 differ by centimetres, below GPS noise,
/// and PROJ also converts between them with a null transformation.
/// </summary>
public sealed class Projection
{
    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    /// <summary>Builds the projection for <paramref name="crs"/>.</summary>
    public Projection(CrsDefinition crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        Crs = crs;
        var factory = new CoordinateSystemFactory();
        var ellipsoid = factory.CreateFlattenedSphere(crs.Name + " ellipsoid", crs.SemiMajorAxis, crs.InverseFlattening, LinearUnit.Metre);
        var datum = factory.CreateHorizontalDatum(crs.Name + " datum", DatumType.HD_Geocentric, ellipsoid, null);
        var geographic = factory.CreateGeographicCoordinateSystem(crs.Name + " geographic", AngularUnit.Degrees, datum,
            PrimeMeridian.Greenwich, new AxisInfo("Lon", AxisOrientationEnum.East), new AxisInfo("Lat", AxisOrientationEnum.North));
        List<ProjectionParameter> parameters =
        [
            new("latitude_of_origin", 0.0),
            new("central_meridian", crs.CentralMeridian),
            new("scale_factor", crs.ScaleFactor),
            new("false_easting", crs.FalseEasting),
            new("false_northing", crs.FalseNorthing),
        ];
        var projection = factory.CreateProjection(crs.Name, "Transverse_Mercator", parameters);
        var projected = factory.CreateProjectedCoordinateSystem(crs.Name, geographic, projection, LinearUnit.Metre,
            new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
        _forward = new CoordinateTransformationFactory().CreateFromCoordinateSystems(geographic, projected).MathTransform;
        _inverse = _forward.Inverse();
    }

    /// <summary>The CRS this projection targets.</summary>
    public CrsDefinition Crs { get; }

    /// <summary>Projects a WGS84 lon/lat (degrees) to easting/northing (metres).</summary>
    public (double X, double Y) Forward(double lon, double lat) => _forward.Transform(lon, lat);

    /// <summary>Converts easting/northing (metres) back to lon/lat (degrees).</summary>
    public (double Lon, double Lat) Inverse(double x, double y) => _inverse.Transform(x, y);

    /// <summary>Returns a copy of a lon/lat geometry in projected metres.</summary>
    public Geometry Forward(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        copy.Apply(new SequenceFilter(this, inverse: false));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>Returns a copy of a projected geometry in lon/lat degrees.</summary>
    public Geometry Inverse(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        copy.Apply(new SequenceFilter(this, inverse: true));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class SequenceFilter(Projection projection, bool inverse) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (a, b) = inverse ? projection.Inverse(seq.GetX(i), seq.GetY(i)) : projection.Forward(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, a);
                seq.SetY(i, b);
            }
        }
    }
}
