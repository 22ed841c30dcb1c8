using System.Diagnostics;
using System.Globalization;
using CrowdWatch.Dashboard.Tests.Hosting;

namespace CrowdWatch.Dashboard.Tests.Cluster;

/// <summary>
/// A CrowdWatch node in a process of its own (the built <c>crowdwatch.dll</c>), on its own 127.0.0.1 port, so that a
/// test can kill it with SIGKILL as a crashed machine would die.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ClusterNode(Process process, string name, string address)
    {
        (_process, Name, Address) = (process, name, address);
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The node's name (its Cluster:NodeId).</summary>
    public string Name { get; }

    /// <summary>Its base address.</summary>
    public string Address { get; }

    /// <summary>A client for it.</summary>
    public HttpClient Http { get; }

    /// <summary>What it printed (for a failing test's message).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts a node with <paramref name="args"/> (command-line configuration) and waits until it answers /alive.</summary>
    public static async Task<ClusterNode> StartAsync(string name, IEnumerable<string> args)
    {
        var port = RedisServer.FreePort();
        var address = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"));
        foreach (var a in (string[])["--urls", address, "--Cluster:NodeId", name, .. args]) start.ArgumentList.Add(a);
        var node = new ClusterNode(Process.Start(start)!, name, address);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (node._process.HasExited) throw new InvalidOperationException($"node {name} exited with {node._process.ExitCode}:\n{node.Output}");
            try
            {
                if ((await node.Http.GetAsync("/alive")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await node.DisposeAsync();
        throw new TimeoutException($"node {name} did not answer /alive within 60 s");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Kills the process with SIGKILL: no shutdown, no lease given back, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-9", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
