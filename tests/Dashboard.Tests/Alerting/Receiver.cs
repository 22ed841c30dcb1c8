using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CrowdWatch.Dashboard.Tests.Alerting;

/// <summary>A real HTTP receiver on 127.0.0.1 (webhook endpoint or SMS gateway) that records what it gets; it can fail on purpose, be slow, stop and come back on the same port.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private WebApplication? _app;

    public Receiver() => Port = FreePort();

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>How many of the coming requests to answer 503.</summary>
    public int FailNext { get; set; }

    /// <summary>How long to take over each answer.</summary>
    public TimeSpan Delay { get; set; }

    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers, bool Accepted);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            var fail = FailNext > 0;
            if (fail) FailNext--;
            Requests.Enqueue(new Received(body, headers, !fail));
            return fail ? Results.StatusCode(503) : Results.Ok();
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Bodies of the requests it accepted, by idempotency key (first seen first).</summary>
    public List<string> AcceptedKeys() => [.. Requests.Where(r => r.Accepted).Select(r => r.Headers["Idempotency-Key"])];

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
