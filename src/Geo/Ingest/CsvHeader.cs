using System.Text;

namespace CrowdWatch.Geo.Ingest;

/// <summary>The column names of a CSV file's header line, matched case-insensitively.</summary>
public sealed class CsvHeader
{
    private readonly string[] _names;

    private CsvHeader(string[] names) => _names = names;

    /// <summary>Column names in order, trimmed and lower-cased.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Reads a header line.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, CsvFields fields, out CsvHeader? header, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(fields);
        header = null;
        if (!fields.TrySplit(line, out var data, out problem)) return false;
        var names = new string[fields.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = Encoding.UTF8.GetString(Timestamps.Trim(data[fields[i]])).ToLowerInvariant();
        if (names.All(string.IsNullOrEmpty)) { problem = "the first line is empty; expected a header line naming the columns"; return false; }
        header = new CsvHeader(names);
        return true;
    }

    /// <summary>
    /// Reads the header line of <paramref name="file"/>; an empty file or a malformed header is reported as a file
    /// error and gives null.
    /// </summary>
    public static CsvHeader? Read(Utf8LineReader lines, CsvFields fields, string file, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(log);
        if (!lines.TryReadLine(out var line))
        {
            log.FileError(file, "is empty; expected a header line");
            return null;
        }

        if (!TryParse(line, fields, out var header, out var problem))
        {
            log.FileError(file, "header: " + problem);
            return null;
        }

        return header;
    }

    /// <summary>Index of a column, or -1.</summary>
    public int IndexOf(string name) => Array.IndexOf(_names, name);

    /// <summary>Index of the first of several accepted spellings of a column, or -1.</summary>
    public int IndexOfAny(params ReadOnlySpan<string> names)
    {
        foreach (var n in names)
        {
            var i = IndexOf(n);
            if (i >= 0) return i;
        }

        return -1;
    }
}
