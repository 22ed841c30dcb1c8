using System.Globalization;
using System.Text;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// The summary of an ingest run: rows read, accepted (and of those, outside the grid or duplicates), rejected by
/// reason, and whether the run stopped early at the error limit.
/// </summary>
public sealed class IngestReport
{
    private readonly SortedDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);

    /// <summary>Data rows read (header lines and blank lines excluded).</summary>
    public long Rows { get; set; }

    /// <summary>Rows accepted.</summary>
    public long Accepted { get; set; }

    /// <summary>Accepted rows whose point lies outside the grid.</summary>
    public long OutsideGrid { get; set; }

    /// <summary>Accepted rows repeating a device's latest sighting (same second), which add nothing.</summary>
    public long Duplicates { get; set; }

    /// <summary>Rows rejected.</summary>
    public long Rejected { get; private set; }

    /// <summary>Rejected rows per reason code.</summary>
    public IReadOnlyDictionary<string, long> RejectedByReason => _rejectedByReason;

    /// <summary>Set when the run stopped at <c>--max-errors</c>; says where.</summary>
    public string? StoppedEarly { get; internal set; }

    /// <summary>Problems with whole files (unreadable, header missing a column).</summary>
    public List<string> FileErrors { get; } = [];

    internal void CountRejection(string reason)
    {
        Rejected++;
        _rejectedByReason[reason] = _rejectedByReason.GetValueOrDefault(reason) + 1;
    }

    /// <summary>A human-readable multi-line summary.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"rows {Rows}, accepted {Accepted} (outside grid {OutsideGrid}, duplicates {Duplicates}), rejected {Rejected}");
        foreach (var (reason, n) in _rejectedByReason) sb.Append(ci, $"\n  rejected {reason}: {n}");
        foreach (var e in FileErrors) sb.Append(ci, $"\n  file error: {e}");
        if (StoppedEarly is not null) sb.Append(ci, $"\n  stopped early: {StoppedEarly}");
        return sb.ToString();
    }
}
