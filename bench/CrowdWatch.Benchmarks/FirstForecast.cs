using System.Diagnostics;
using System.Globalization;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// The main job's start as a user sees it: the real host (a child process, default configuration, a fresh store)
/// replaying the sample city, timed from the page being served to the first forecast saved and to the first warning,
/// with and without another process keeping every core busy.
/// </summary>
internal static class FirstForecast
{
    public static async Task RunAsync(bool load)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crowdwatch-first-" + Guid.NewGuid().ToString("N"));
        var port = LiveFrames.FreePort();
        // The competing load: one busy shell loop per core, in processes of their own.
        var burners = load
            ? Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!).ToList()
            : [];
        using var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "crowdwatch.dll"), "--urls", $"http://127.0.0.1:{port}",
                "--CrowdWatch:Deployment", Dashboard.Deployment.SampleDeployment.Locate(), "--Store:DataDirectory", dir,
                "--Logging:LogLevel:Default", "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(host, burners);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();
            async Task<bool> Ok(string path)
            {
                try
                {
                    return (await http.GetAsync(path)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }

            while (!await Ok("/")) await Task.Delay(100);
            var page = clock.Elapsed;
            Console.Error.WriteLine($"page served at {page.TotalSeconds:0.0} s after start{(load ? $" (with {burners.Count} busy processes)" : "")}");
            TimeSpan? forecast = null, warning = null;
            while ((forecast is null || warning is null) && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                if (forecast is null && await Ok("/api/areas/chongqing/forecasts/zones/hongyadong"))
                {
                    forecast = clock.Elapsed;
                    Console.Error.WriteLine($"first forecast at {(forecast.Value - page).TotalSeconds:0.0} s after the page");
                }

                if (warning is null && await http.GetStringAsync("/api/alerts") is { Length: > 2 })
                {
                    warning = clock.Elapsed;
                    Console.Error.WriteLine($"first warning at {(warning.Value - page).TotalSeconds:0.0} s after the page");
                }

                await Task.Delay(250);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load={(load ? Environment.ProcessorCount : 0)} busy processes; page {page.TotalSeconds:0.0} s; first forecast {(forecast - page)?.TotalSeconds:0.0} s after the page; first warning {(warning - page)?.TotalSeconds:0.0} s after the page"));
        }
        finally
        {
            Stop(host, burners);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind.
            }
        }
    }

    private static void Stop(Process host, List<Process> burners)
    {
        foreach (var p in burners.Append(host)) LiveFrames.Stop(p);
    }
}
