using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrowdWatch.Dashboard.Camara;
using CrowdWatch.Dashboard.Tests.Alerting;
using CrowdWatch.Geo.Storage;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Camara;

/// <summary>Asynchronous answers: 202 with an operation id, then the answer POSTed to a real receiver on 127.0.0.1.</summary>
public sealed class SinkTests
{
    private const long Hour = 3_600_000;
    private static readonly (string, string)[] Settings = [("Camara:AllowLoopbackHttpSinks", "true"), ("Camara:SinkRetrySeconds", "0.5")];

    private static string At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> WriteHourAsync(CamaraFactory factory)
    {
        var hour = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / Hour) - 2) * Hour;
        var slots = Enumerable.Range(0, 4).Select(s => hour + (s * 900_000L)).ToArray();
        await factory.Services.GetRequiredService<Store>().Counts.WriteAsync(new CountBatch("riverside", "sink-test", slots,
            [.. slots.SelectMany(slot => Enumerable.Range(0, 400).Select(c => new CountRecord(slot, "people", c, 30 + (c % 50))))]));
        return hour;
    }

    private static JsonObject Request(long hour, string sink) => new()
    {
        ["area"] = new JsonObject { ["areaType"] = "GEOHASHLIST", ["geohashes"] = new JsonArray("wm7b1kt", "wm7b1ks") },
        ["startTime"] = At(hour),
        ["endTime"] = At(hour + (30 * 60_000)),
        ["sink"] = sink,
        ["sinkCredential"] = new JsonObject { ["credentialType"] = "ACCESSTOKEN", ["accessToken"] = "sink-secret", ["accessTokenExpiresUtc"] = At(hour + (48 * Hour)), ["accessTokenType"] = "bearer" },
    };

    private static async Task<string> AcceptAsync(CamaraFactory factory, JsonObject body, string correlator)
    {
        using var client = factory.ClientAs("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/population-density-data/vwip/retrieve") { Content = JsonContent.Create(body) };
        request.Headers.Add("x-correlator", correlator);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        Assert.Equal(correlator, response.Headers.GetValues("x-correlator").Single());
        using var json = JsonDocument.Parse(text);
        Assert.Empty(CamaraSchemas.Errors("population-density-data.AcceptedAsyncResponse", json.RootElement));
        return json.RootElement.GetProperty("operationId").GetString()!;
    }

    private static async Task<Receiver.Received> DeliveredAsync(Receiver receiver, TimeSpan within)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!receiver.Requests.Any(r => r.Accepted) && waited.Elapsed < within) await Task.Delay(100);
        return Assert.Single(receiver.Requests, r => r.Accepted);
    }

    [Fact]
    public async Task The_answer_comes_to_the_sink_as_a_CloudEvent_with_the_bearer_token_again_after_a_refusal()
    {
        await using var receiver = new Receiver { FailNext = 1 };
        await receiver.StartAsync();
        using var factory = new CamaraFactory(null, Settings);
        await factory.StartAsync();
        var hour = await WriteHourAsync(factory);
        var operation = await AcceptAsync(factory, Request(hour, receiver.Url), "async-1");

        var got = await DeliveredAsync(receiver, TimeSpan.FromSeconds(30));
        Assert.Equal(2, receiver.Requests.Count);
        Assert.False(receiver.Requests.First().Accepted);
        Assert.Equal("Bearer sink-secret", got.Headers["Authorization"]);
        Assert.Equal("async-1", got.Headers["x-correlator"]);
        Assert.Equal(("1.0", operation, SinkDispatcher.EventType), (got.Headers["ce-specversion"], got.Headers["ce-id"], got.Headers["ce-type"]));
        Assert.Equal("/population-density-data/vwip/retrieve", got.Headers["ce-source"]);
        Assert.True(DateTimeOffset.TryParse(got.Headers["ce-time"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));
        using var body = JsonDocument.Parse(got.Body);
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityAsyncResponse", body.RootElement));
        Assert.Equal(operation, body.RootElement.GetProperty("operationId").GetString());
        // The same answer as a synchronous request gives.
        var sync = Request(hour, receiver.Url);
        sync.Remove("sink");
        sync.Remove("sinkCredential");
        using var client = factory.ClientAs("viewer");
        using var direct = JsonDocument.Parse(await (await client.PostAsJsonAsync("/population-density-data/vwip/retrieve", sync)).Content.ReadAsStringAsync());
        Assert.Equal(direct.RootElement.GetProperty("timedPopulationDensityData").GetRawText(), body.RootElement.GetProperty("timedPopulationDensityData").GetRawText());
    }

    [Fact]
    public async Task An_accepted_request_is_answered_after_a_restart()
    {
        await using var receiver = new Receiver();
        // Both hosts on one folder (deployment and store), kept between them and removed at the end.
        var folder = Path.Combine(Path.GetTempPath(), "crowdwatch-camara-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            string operation;
            // Accepted while the sink is down; the host stops before it could deliver.
            using (var first = new CamaraFactory(folder, null, Settings))
            {
                await first.StartAsync();
                operation = await AcceptAsync(first, Request(await WriteHourAsync(first), receiver.Url), "before-restart");
                await Task.Delay(1500);
            }

            await receiver.StartAsync();
            using var again = new CamaraFactory(folder, null, Settings);
            await again.StartAsync();
            var got = await DeliveredAsync(receiver, TimeSpan.FromSeconds(30));
            Assert.Equal(operation, got.Headers["ce-id"]);
            Assert.Equal("before-restart", got.Headers["x-correlator"]);
            using (var body = JsonDocument.Parse(got.Body))
                Assert.Equal("SUPPORTED_AREA", body.RootElement.GetProperty("status").GetString());

            // Kept as delivered (once the sink's answer is back), the sink's token forgotten.
            var sinks = again.Services.GetRequiredService<Store>().Sinks;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var stored = await sinks.FindAsync(operation);
            while (stored?.DeliveredMs is null && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
                stored = await sinks.FindAsync(operation);
            }

            Assert.NotNull(stored!.DeliveredMs);
            Assert.Null(stored.Token);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The store's file may still be closing; the temp folder is cleaned later.
            }
        }
    }

    [Fact]
    public async Task A_request_whose_answer_cannot_be_computed_gets_OPERATION_NOT_COMPLETED_at_its_sink()
    {
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        using var factory = new CamaraFactory(services =>
        {
            services.AddSingleton(sp => new FailingCounts(sp.GetRequiredService<Store>().Counts));
            services.AddSingleton<ICountStore>(sp => sp.GetRequiredService<FailingCounts>());
        }, Settings);
        await factory.StartAsync();
        var hour = await WriteHourAsync(factory);
        // The request is sound (checked before the 202); reading the counts for it fails.
        factory.Services.GetRequiredService<FailingCounts>().Failure = new InvalidOperationException("the counts could not be read");
        var operation = await AcceptAsync(factory, Request(hour, receiver.Url), "doomed");
        var got = await DeliveredAsync(receiver, TimeSpan.FromSeconds(30));
        using var body = JsonDocument.Parse(got.Body);
        Assert.Empty(CamaraSchemas.Errors("population-density-data.PopulationDensityAsyncResponse", body.RootElement));
        Assert.Equal(("OPERATION_NOT_COMPLETED", operation), (body.RootElement.GetProperty("status").GetString(), body.RootElement.GetProperty("operationId").GetString()));
        Assert.Contains("the counts could not be read", body.RootElement.GetProperty("statusInfo").GetString(), StringComparison.Ordinal);
        Assert.Empty(body.RootElement.GetProperty("timedPopulationDensityData").EnumerateArray());
    }
}
