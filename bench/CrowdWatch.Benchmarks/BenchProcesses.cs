using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CrowdWatch.Benchmarks;

/// <summary>The servers the multi-process benchmarks start: CrowdWatch nodes, redis-server, a fresh PostgreSQL database.</summary>
internal static class BenchProcesses
{
    /// <summary>A deployment of one area, "bench", of <paramref name="side"/> × <paramref name="side"/> cells of 100 m in <paramref name="dir"/> (5-minute slots, k 1); its path.</summary>
    public static string SquareDeployment(string dir, int side)
    {
        var path = Path.Combine(dir, "deployment.json");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            { "areas": [ { "name": "bench", "centre": [106.5790, 29.5630], "widthM": {{side * 100}}, "heightM": {{side * 100}}, "cellSizeM": 100,
                           "timeZone": "Asia/Shanghai", "slotMinutes": 5, "panelFactor": 1, "k": 1 } ] }
            """));
        return path;
    }

    /// <summary>Removes a run's folder; a file still held for a moment (a store's) leaves it.</summary>
    public static void Remove(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new database on <paramref name="server"/>; its connection string.</summary>
    public static async Task<string> NewDatabaseAsync(string server)
    {
        var database = $"crowdwatch_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();
    }

    /// <summary>redis-server on a free port with its files in <paramref name="dir"/>; with the append-only file written through if asked.</summary>
    public static (Process Process, int Port) StartRedis(string dir, bool appendOnly)
    {
        var port = LiveFrames.FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true };
        string[] persistence = appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        foreach (var a in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dir, "--save", "", .. persistence])
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LiveFrames.Stop(process);
        Thread.Sleep(300);
        return (process, port);
    }

    /// <summary>A node (the built <c>crowdwatch.dll</c>) on a free port with <paramref name="args"/>, once it answers /alive; its errors go to stderr.</summary>
    public static async Task<(Process Process, string Address)> StartNodeAsync(string name, IEnumerable<string> args)
    {
        var port = LiveFrames.FreePort();
        var address = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"), "--urls", address, .. args]) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"{name}: {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The node goes with this process, however it ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LiveFrames.Stop(process);
        AppDomain.CurrentDomain.UnhandledException += (_, _) => LiveFrames.Stop(process);
        using var http = new HttpClient();
        var up = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"{address}/alive")).IsSuccessStatusCode) return (process, address);
            }
            catch (HttpRequestException) when (up.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            if (up.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{name} did not answer /alive within 60 s");
            await Task.Delay(200);
        }
    }
}
