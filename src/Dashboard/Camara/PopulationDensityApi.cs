using System.Text.Json;
using CrowdWatch.Dashboard.Security;
using CrowdWatch.Storage.Sinks;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// CAMARA Population Density Data (<c>{apiRoot}/population-density-data/vwip/retrieve</c>) over our cells. Our API
/// keys are the bearer tokens; the definition's scope (<c>population-density-data:read</c>) is a viewer's key or
/// better. Every answer, errors too, carries the request's <c>x-correlator</c>; errors have the CAMARA body.
/// </summary>
public static class PopulationDensityApi
{
    /// <summary>Maps <c>POST {base}/retrieve</c>.</summary>
    public static IEndpointRouteBuilder MapPopulationDensityApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IOptions<CamaraOptions>>().Value;
        app.MapPost(options.DensityBase + "/retrieve", (HttpContext http, DensityAnswers answers, IOptions<CamaraOptions> camara, ISinkOutbox outbox, TimeProvider time, IServiceProvider services,
            ILoggerFactory logs, CancellationToken cancellationToken) =>
            CamaraFailures.GuardAsync(async () =>
        {
            var dispatcher = services.GetService<SinkDispatcher>();
            if (Caller(http) is { } denied) return denied.ToResult();
            var (body, notJson) = await CamaraEndpoints.BodyAsync(http.Request, cancellationToken);
            if (notJson is not null) return notJson.ToResult();

            var (request, invalid) = DensityRequest.Parse(body, camara.Value);
            if (invalid is not null) return invalid.ToResult();
            if (request!.Sink is { } sink)
            {
                // Checked now, answered later: kept in the outbox before the 202, so a restart loses neither.
                if (await answers.CheckAsync(request, cancellationToken) is { } refused) return refused.ToResult();
                var operation = Guid.NewGuid().ToString();
                await outbox.AcceptAsync(new SinkDelivery(operation, "population-density-data", body.GetRawText(), sink.AbsoluteUri, request.SinkToken,
                    http.Response.Headers[Correlator.Header].ToString() is { Length: > 0 } c ? c : null, time.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
                dispatcher?.Wake();
                return TypedResults.Json(new AcceptedAsync(operation), statusCode: StatusCodes.Status202Accepted);
            }

            var (response, error) = await answers.AnswerAsync(request, cancellationToken);
            return error is not null ? error.ToResult() : TypedResults.Ok(response);
        }, logs.CreateLogger(typeof(PopulationDensityApi)), cancellationToken))
            .AllowAnonymous()
            .AddEndpointFilter(Correlator.Filter)
            .Accepts<JsonElement>("application/json")
            .Produces<DensityResponse>()
            .Produces<AcceptedAsync>(202)
            .Produces<CamaraError>(400).Produces<CamaraError>(401).Produces<CamaraError>(403).Produces<CamaraError>(422).Produces<CamaraError>(429)
            .WithTags("CAMARA Population Density Data")
            .WithName("retrievePopulationDensity")
            .WithSummary("Population density per geohash cell and hour, past (stored counts) or future (forecast)");
        app.MapNotFound(options.DensityBase);
        return app;
    }

    /// <summary>401 without a valid key, 403 for a key that may not read (ingest); null for a viewer, operator or admin.</summary>
    public static CamaraError? Caller(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.Identity?.IsAuthenticated != true) return new CamaraError(401, "UNAUTHENTICATED", "Request not authenticated due to missing, invalid, or expired credentials. A new authentication is required.");
        if (!(http.User.IsInRole(Roles.Viewer) || http.User.IsInRole(Roles.Operator) || http.User.IsInRole(Roles.Admin)))
            return new CamaraError(403, "PERMISSION_DENIED", "Client does not have sufficient permissions to perform this action.");
        return null;
    }
}
