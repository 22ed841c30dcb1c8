using System.Globalization;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Where rejections go: counted in an <see cref="IngestReport"/>, optionally written to a rejects CSV
/// (<c>file,line,field,reason,detail</c>) and handed to an observer; enforces the error limit.
/// </summary>
public sealed class RejectLog(IngestReport report, TextWriter? rejectsCsv = null, long maxErrors = long.MaxValue, Action<Rejection>? observer = null)
{
    private bool _headerWritten;

    /// <summary>The report counted into.</summary>
    public IngestReport Report { get; } = report ?? throw new ArgumentNullException(nameof(report));

    /// <summary>Whether the error limit has been reached: the reader must stop.</summary>
    public bool LimitReached => Report.Rejected >= maxErrors;

    /// <summary>Records a rejection; returns false when the error limit has been reached.</summary>
    public bool Reject(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        Report.CountRejection(rejection.Reason);
        if (rejectsCsv is not null)
        {
            if (!_headerWritten) { rejectsCsv.WriteLine("file,line,field,reason,detail"); _headerWritten = true; }
            rejectsCsv.WriteLine(string.Join(',', CsvText.Quote(rejection.File), rejection.Line.ToString(CultureInfo.InvariantCulture),
                CsvText.Quote(rejection.Field), CsvText.Quote(rejection.Reason), CsvText.Quote(rejection.Detail.ReplaceLineEndings(" "))));
        }

        observer?.Invoke(rejection);
        if (LimitReached)
        {
            Report.StoppedEarly ??= $"{rejection.File} line {rejection.Line}: {maxErrors} errors reached (--max-errors)";
            return false;
        }

        return true;
    }

    /// <summary>Records a problem with a whole file.</summary>
    public void FileError(string file, string problem)
    {
        Report.FileErrors.Add($"{file}: {problem}");
        Reject(new Rejection(file, 0, "file", "file-error", problem));
    }
}
