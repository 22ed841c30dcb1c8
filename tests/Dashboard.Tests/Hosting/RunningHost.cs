using CrowdWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrowdWatch.Dashboard.Tests.Hosting;

/// <summary>The real host started on a free loopback port with the given configuration, and a client for it.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, string address)
    {
        (App, Address) = (app, address);
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public string Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Posts <paramref name="body"/> as <paramref name="type"/> to <paramref name="path"/> under <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string key, string path, string body, string type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, type) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return await Http.SendAsync(request);
    }

    /// <summary>Builds and starts the host on 127.0.0.1 with <paramref name="args"/> (command-line configuration).</summary>
    public static Task<RunningHost> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>Builds and starts the host with <paramref name="services"/> changed last (for example a clock of the test's).</summary>
    public static async Task<RunningHost> StartAsync(Action<IServiceCollection>? services, params string[] args)
    {
        var app = await WebHost.BuildAsync(["--urls", "http://127.0.0.1:0", .. args], services);
        await app.StartAsync();
        return new RunningHost(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
