using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>What both CAMARA APIs share: reading a body, the 404 under a base path, a boundary as a polygon.</summary>
public static class CamaraEndpoints
{
    /// <summary>The request's JSON body, or 400 INVALID_ARGUMENT when it is not JSON.</summary>
    public static async Task<(JsonElement Body, CamaraError? Error)> BodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, CamaraError.InvalidArgument($"the body is not JSON: {e.Message}"));
        }
    }

    /// <summary>Anything else under <paramref name="basePath"/>: the definitions' 404, in the CAMARA body.</summary>
    public static void MapNotFound(this IEndpointRouteBuilder app, string basePath) =>
        app.Map(basePath + "/{**rest}", (string? rest) => new CamaraError(404, "NOT_FOUND", $"The specified resource is not found: '{rest}'").ToResult())
            .AllowAnonymous().AddEndpointFilter(Correlator.Filter).ExcludeFromDescription();

    /// <summary><paramref name="boundary"/> (closed if it is not) as a simple WGS84 polygon with area; null when it crosses itself or has none.</summary>
    public static Polygon? Polygon(IReadOnlyList<(double Lon, double Lat)> boundary, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentNullException.ThrowIfNull(factory);
        if (boundary.Count == 0) return null;
        var ring = boundary.Select(p => new Coordinate(p.Lon, p.Lat)).ToList();
        if (!ring[0].Equals2D(ring[^1])) ring.Add(ring[0].Copy());
        if (ring.Count < 4) return null;
        var polygon = factory.CreatePolygon([.. ring]);
        return polygon.IsValid && polygon.IsSimple && polygon.Area > 0 ? polygon : null;
    }
}
