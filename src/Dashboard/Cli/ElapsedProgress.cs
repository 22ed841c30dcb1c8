using System.Diagnostics;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// Progress of long work on stderr, each line with the seconds since the verb began; written at once on the reporting
/// thread (unlike <see cref="Progress{T}"/>, which posts to the thread pool and can reorder lines).
/// </summary>
internal sealed class ElapsedProgress(TextWriter error, Stopwatch clock) : IProgress<string>
{
    public void Report(string value)
    {
        lock (error) error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {value}");
    }
}
