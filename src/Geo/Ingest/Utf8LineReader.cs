namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Reads a stream line by line as UTF-8 bytes through one reusable buffer, so memory does not grow with the file.
/// Strips a leading byte-order mark and line ends (LF or CRLF). A line longer than <see cref="MaxLineBytes"/> is
/// returned truncated with <see cref="LastLineTooLong"/> set, and the rest of it is skipped.
/// </summary>
public sealed class Utf8LineReader
{
    /// <summary>Longest line kept whole.</summary>
    public const int MaxLineBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    /// <summary>Reads from <paramref name="stream"/>.</summary>
    public Utf8LineReader(Stream stream, int bufferBytes = 1 << 21)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _buffer = new byte[Math.Max(bufferBytes, MaxLineBytes + 1)];
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Whether the line last returned was cut at <see cref="MaxLineBytes"/>.</summary>
    public bool LastLineTooLong { get; private set; }

    /// <summary>Bytes consumed from the stream so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Returns the next line, or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        LastLineTooLong = false;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var nl = available.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                LastLineTooLong = nl > MaxLineBytes;
                line = Finish(available[..Math.Min(nl, MaxLineBytes)]);
                _start += nl + 1;
                return true;
            }

            if (_eof)
            {
                if (available.IsEmpty) { line = default; return false; }
                LastLineTooLong = available.Length > MaxLineBytes;
                line = Finish(available[..Math.Min(available.Length, MaxLineBytes)]);
                _start = _end;
                return true;
            }

            if (available.Length >= MaxLineBytes)
            {
                line = Finish(available[..MaxLineBytes]);
                LastLineTooLong = true;
                SkipRestOfLine();
                return true;
            }

            Fill();
        }
    }

    private ReadOnlySpan<byte> Finish(ReadOnlySpan<byte> line)
    {
        LineNumber++;
        if (_first)
        {
            _first = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..];
        }

        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
        BytesRead += n;
    }

    private void SkipRestOfLine()
    {
        _start = _end;
        while (true)
        {
            Fill();
            var nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0) { _start += nl + 1; return; }
            _start = _end;
            if (_eof) return;
        }
    }
}
