namespace CrowdWatch.Geo.Ingest;

/// <summary>Writing CSV fields (RFC 4180).</summary>
public static class CsvText
{
    /// <summary>The field as written: quoted, with quotes doubled, when it holds a comma, quote or line break.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
