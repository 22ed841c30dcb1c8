namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Splits one CSV line (RFC 4180: commas, double-quoted fields with "" for a quote) into field ranges without
/// allocating. Unquoted lines are split in place; a line with quotes is unescaped into a reusable scratch buffer.
/// Fields cannot span lines (ingest reads line by line), so an unterminated quote is an error on that line.
/// </summary>
public sealed class CsvFields
{
    private Range[] _ranges = new Range[16];
    private byte[] _scratch = new byte[256];

    /// <summary>Number of fields in the last line split.</summary>
    public int Count { get; private set; }

    /// <summary>Splits <paramref name="line"/>; <paramref name="data"/> is what the ranges index into.</summary>
    public bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> data, out string? problem)
    {
        problem = null;
        Count = 0;
        if (line.IndexOf((byte)'"') < 0)
        {
            data = line;
            var start = 0;
            while (true)
            {
                var comma = line[start..].IndexOf((byte)',');
                if (comma < 0) { Push(start..line.Length); return true; }
                Push(start..(start + comma));
                start += comma + 1;
            }
        }

        if (_scratch.Length < line.Length) _scratch = new byte[Math.Max(line.Length, _scratch.Length * 2)];
        var w = 0;
        var i = 0;
        while (true)
        {
            var fieldStart = w;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) { data = default; problem = "a quoted field is not closed on this line"; return false; }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { _scratch[w++] = (byte)'"'; i += 2; continue; }
                        i++;
                        break;
                    }

                    _scratch[w++] = line[i++];
                }

                if (i < line.Length && line[i] != ',') { data = default; problem = "text after a closing quote; expected a comma"; return false; }
            }
            else
            {
                while (i < line.Length && line[i] != ',') _scratch[w++] = line[i++];
            }

            Push(fieldStart..w);
            if (i >= line.Length) break;
            i++; // the comma
        }

        data = _scratch.AsSpan(0, w);
        return true;
    }

    /// <summary>The range of field <paramref name="index"/>.</summary>
    public Range this[int index] => _ranges[index];

    /// <summary>Field <paramref name="index"/> of <paramref name="data"/>, trimmed; empty when the line has no such field.</summary>
    public ReadOnlySpan<byte> Get(ReadOnlySpan<byte> data, int index) =>
        index >= 0 && index < Count ? Timestamps.Trim(data[_ranges[index]]) : default;

    private void Push(Range r)
    {
        if (Count == _ranges.Length) Array.Resize(ref _ranges, _ranges.Length * 2);
        _ranges[Count++] = r;
    }
}
