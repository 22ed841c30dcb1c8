using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrowdWatch.Storage.Sinks;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// Computes and delivers the asynchronous CAMARA answers the outbox holds. The answer (the definition's
/// <c>PopulationDensityAsyncResponse</c>, OPERATION_NOT_COMPLETED where it could not be computed) is POSTed to the
/// sink as a CloudEvent in HTTP binary mode: the <c>ce-*</c> headers carry the envelope (id = the operation id), the
/// body is the answer exactly as the definition's callback expects it, with the sink credential as bearer token and
/// the request's correlator. A refused or failed attempt is tried again, the wait doubling from
/// <see cref="CamaraOptions.SinkRetrySeconds"/> up to ten minutes; the outbox keeps everything across a restart.
/// </summary>
public sealed partial class SinkDispatcher(ISinkOutbox outbox, DensityAnswers answers, IHttpClientFactory http, IOptions<CamaraOptions> options, TimeProvider time,
    ILogger<SinkDispatcher> log) : BackgroundService
{
    /// <summary>The CloudEvent type of a Population Density Data answer.</summary>
    public const string EventType = "org.camaraproject.population-density-data.v0.retrieve";

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Answers delivered so far.</summary>
    public int Delivered { get; private set; }

    /// <summary>Something was accepted: look now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var d in await outbox.ClaimAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), 10, 120_000, stoppingToken).ConfigureAwait(false))
                    await DeliverAsync(d, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, e, "the outbox");
            }

            try
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(1000, options.Value.SinkRetrySeconds * 1000)), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task DeliverAsync(SinkDelivery d, CancellationToken cancellationToken)
    {
        var payload = d.Payload;
        if (payload is null)
        {
            payload = await ComputeAsync(d, cancellationToken).ConfigureAwait(false);
            await outbox.AnsweredAsync(d.OperationId, payload, cancellationToken).ConfigureAwait(false);
        }

        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, d.Sink) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            if (d.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (d.Correlator is { } correlator) request.Headers.TryAddWithoutValidation(Correlator.Header, correlator);
            request.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
            request.Headers.TryAddWithoutValidation("ce-id", d.OperationId);
            request.Headers.TryAddWithoutValidation("ce-source", options.Value.DensityBase + "/retrieve");
            request.Headers.TryAddWithoutValidation("ce-type", EventType);
            request.Headers.TryAddWithoutValidation("ce-time", time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            using var response = await http.CreateClient("camara-sinks").SendAsync(request, cancellationToken).ConfigureAwait(false);
            error = response.IsSuccessStatusCode ? null : $"the sink answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (error is null)
        {
            await outbox.DeliveredAsync(d.OperationId, now, cancellationToken).ConfigureAwait(false);
            Delivered++;
            return;
        }

        var wait = Math.Min(600, options.Value.SinkRetrySeconds * Math.Pow(2, Math.Min(d.Attempts, 16)));
        await outbox.FailedAsync(d.OperationId, error, now + (long)(wait * 1000), cancellationToken).ConfigureAwait(false);
        Retrying(log, d.OperationId, error, wait);
    }

    // The answer, or OPERATION_NOT_COMPLETED with what went wrong.
    private async Task<string> ComputeAsync(SinkDelivery d, CancellationToken cancellationToken)
    {
        DensityResponse response;
        try
        {
            using var body = JsonDocument.Parse(d.Request);
            var (request, invalid) = DensityRequest.Parse(body.RootElement, options.Value);
            var (answer, error) = invalid is null ? await answers.AnswerAsync(request! with { Sink = null }, cancellationToken).ConfigureAwait(false) : (null, invalid);
            response = answer is not null ? answer with { OperationId = d.OperationId }
                : new DensityResponse("OPERATION_NOT_COMPLETED", [], Truncate($"{error!.Code}: {error.Message}"), d.OperationId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(log, e, d.OperationId);
            response = new DensityResponse("OPERATION_NOT_COMPLETED", [], Truncate($"the answer could not be computed: {e.Message}"), d.OperationId);
        }

        return JsonSerializer.Serialize(response);
    }

    private static string Truncate(string s) => s.Length <= 512 ? s : s[..512];

    [LoggerMessage(Level = LogLevel.Warning, Message = "CAMARA sink delivery {Operation}: {Error}; trying again in {Seconds:0.#} s")]
    private static partial void Retrying(ILogger logger, string operation, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "CAMARA sink deliveries: {What} failed")]
    private static partial void Failed(ILogger logger, Exception exception, string what);
}
