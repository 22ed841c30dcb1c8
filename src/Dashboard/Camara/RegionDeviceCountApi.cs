using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// CAMARA Region Device Count (<c>{apiRoot}/regionDeviceCount/vwip/count</c>) over our cells; keys and correlator as
/// for <see cref="PopulationDensityApi"/>.
/// </summary>
public static class RegionDeviceCountApi
{
    /// <summary>Maps <c>POST {base}/count</c>.</summary>
    public static IEndpointRouteBuilder MapRegionDeviceCountApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IOptions<CamaraOptions>>().Value;
        app.MapPost(options.DeviceCountBase + "/count", (HttpContext http, DeviceCountAnswers answers, ILoggerFactory logs, CancellationToken cancellationToken) =>
            CamaraFailures.GuardAsync(async () =>
            {
                if (PopulationDensityApi.Caller(http) is { } denied) return denied.ToResult();
                var (body, notJson) = await CamaraEndpoints.BodyAsync(http.Request, cancellationToken);
                if (notJson is not null) return notJson.ToResult();

                var (request, invalid) = DeviceCountRequest.Parse(body);
                if (invalid is not null) return invalid.ToResult();
                var (response, error) = await answers.AnswerAsync(request!, cancellationToken);
                return error is not null ? error.ToResult() : TypedResults.Ok(response);
            }, logs.CreateLogger(typeof(RegionDeviceCountApi)), cancellationToken))
            .AllowAnonymous()
            .AddEndpointFilter(Correlator.Filter)
            .Accepts<JsonElement>("application/json")
            .Produces<DeviceCountResponse>()
            .Produces<CamaraError>(400).Produces<CamaraError>(401).Produces<CamaraError>(403).Produces<CamaraError>(429)
            .Produces<CamaraError>(500).Produces<CamaraError>(503).Produces<CamaraError>(504)
            .WithTags("CAMARA Region Device Count")
            .WithName("count")
            .WithSummary("People (devices) in a circle or polygon now, or the most at once in a window");
        app.MapNotFound(options.DeviceCountBase);
        return app;
    }
}
