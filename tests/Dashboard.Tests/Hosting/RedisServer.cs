using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrowdWatch.Dashboard.Tests.Hosting;

/// <summary>
/// A throw-away redis-server (Debian's) on a free 127.0.0.1 port, killed on dispose; nothing persisted, or, given a
/// folder, an append-only file fsynced on every write (as scripts/cluster.sh runs it), so that a restart keeps the log.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port) => (_process, Port) = (process, port);

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its StackExchange.Redis configuration.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts one (on <paramref name="port"/>, or a free port) and waits until it answers PING; fails (does not skip)
    /// when redis-server is not installed.
    /// </summary>
    public static async Task<RedisServer> StartAsync(int? port = null, string? dataDirectory = null)
    {
        port ??= FreePort();
        string[] persistence = dataDirectory is null ? ["--save", "", "--appendonly", "no"] : ["--dir", dataDirectory, "--save", "", "--appendonly", "yes", "--appendfsync", "always"];
        if (dataDirectory is not null) Directory.CreateDirectory(dataDirectory);

        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--port", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", .. persistence])
            start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not on PATH: install Debian's redis-server package (scripts/test.sh does)", e);
        }

        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new RedisServer(process, port.Value);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode}");
            if (await PingsAsync(port.Value)) return server;
            await Task.Delay(50);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"redis-server did not answer on port {port} within 20 s");
    }

    /// <summary>A port free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<bool> PingsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
