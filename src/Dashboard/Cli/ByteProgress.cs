using System.Diagnostics;
using System.Globalization;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>Shows how far through a file ingest is, at most once a second, on stderr.</summary>
internal sealed class ByteProgress(string file, long totalBytes, TextWriter error) : IProgress<long>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastShownMs = -1000;

    public void Report(long value)
    {
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastShownMs < 1000 && value < totalBytes) return;
        _lastShownMs = now;
        var pct = totalBytes > 0 ? 100.0 * value / totalBytes : 100;
        var rate = now > 0 ? value / 1e6 / (now / 1000.0) : 0;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {pct:0}% of {totalBytes / 1e6:0.0} MB, {rate:0} MB/s"));
    }
}
