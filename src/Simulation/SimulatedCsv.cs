using System.Globalization;
using System.Text;

namespace CrowdWatch.Simulation;

/// <summary>
/// A simulated day as CSV, formatted as it is read: pings (<c>timestamp,device_id,lat,lon,accuracy_m</c>, Unix ms and
/// seven decimals) or searches (<c>timestamp,query,poi_id,count</c>), optionally only the rows within a time window.
/// A share of rows, chosen by the seed and the row's position in the day, comes out malformed (a bad timestamp,
/// a latitude out of range, or a line cut short), so the ingest path is always exercised; whether a row is malformed
/// does not depend on the window, so a window's rows are byte for byte the same as in the whole day.
/// </summary>
public sealed class SimulatedCsv : Stream
{
    private static readonly byte[] PingHeader = "timestamp,device_id,lat,lon,accuracy_m\n"u8.ToArray();
    private static readonly byte[] SearchHeader = "timestamp,query,poi_id,count\n"u8.ToArray();

    private readonly SimulatedDay _day;
    private readonly bool _pings;
    private readonly int _seed;
    private readonly double _malformedRate;
    private readonly long _fromMs;
    private readonly long _toMs;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly byte[][] _deviceIds;
    private int _row = -1; // -1: the header is next
    private int _start;
    private int _end;

    private SimulatedCsv(SimulatedDay day, bool pings, int seed, double malformedRate, long fromMs, long toMs)
    {
        _day = day ?? throw new ArgumentNullException(nameof(day));
        _pings = pings;
        _seed = seed;
        _malformedRate = malformedRate;
        _fromMs = fromMs;
        _toMs = toMs;
        _deviceIds = pings ? [.. day.DeviceIds.Select(Encoding.ASCII.GetBytes)] : [];
    }

    /// <summary>Rows written so far (header excluded), malformed ones included.</summary>
    public long Rows { get; private set; }

    /// <summary>Malformed rows written so far.</summary>
    public long Malformed { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The day's pings as CSV, those in [<paramref name="fromMs"/>, <paramref name="toMs"/>) (Unix ms) only.</summary>
    public static SimulatedCsv Pings(SimulatedDay day, int seed, double malformedRate, long fromMs = long.MinValue, long toMs = long.MaxValue) =>
        new(day, pings: true, seed, malformedRate, fromMs, toMs);

    /// <summary>The day's searches as CSV, those in [<paramref name="fromMs"/>, <paramref name="toMs"/>) (Unix ms) only.</summary>
    public static SimulatedCsv Searches(SimulatedDay day, int seed, double malformedRate, long fromMs = long.MinValue, long toMs = long.MaxValue) =>
        new(day, pings: false, seed, malformedRate, fromMs, toMs);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var copied = 0;
        while (copied < buffer.Length)
        {
            if (_start == _end && !Fill()) break;
            var n = Math.Min(buffer.Length - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer[copied..]);
            _start += n;
            copied += n;
        }

        return copied;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool Fill()
    {
        _start = _end = 0;
        var total = _pings ? _day.PingMs.Length : _day.SearchMs.Length;
        if (_row < 0)
        {
            var header = _pings ? PingHeader : SearchHeader;
            header.CopyTo(_buffer, 0);
            _end = header.Length;
            _row = 0;
            return true;
        }

        // Rows are far shorter than 1 KB; stop when less than that is left.
        while (_row < total && _end < _buffer.Length - 1024)
        {
            var ms = _pings ? _day.PingMs[_row] : _day.SearchMs[_row];
            var row = _row++;
            if (ms < _fromMs || ms >= _toMs) continue;
            var r = SimRandom.For(_seed, _day.Date.DayNumber, row, _pings ? 7 : 8);
            var kind = r.Chance(_malformedRate) ? 1 + r.Next(3) : 0;
            var start = _end;
            _end += _pings ? FormatPing(row, ms, kind, _buffer.AsSpan(_end)) : FormatSearch(row, ms, kind, _buffer.AsSpan(_end));
            if (kind == 3)
            {
                // A line cut short: half of it, then the line break.
                _end = start + ((_end - start) / 2);
                _buffer[_end++] = (byte)'\n';
            }

            Rows++;
            if (kind != 0) Malformed++;
        }

        return _end > 0;
    }

    private int FormatPing(int row, long ms, int kind, Span<byte> b)
    {
        var n = 0;
        n += Timestamp(ms, kind == 1, b);
        b[n++] = (byte)',';
        _deviceIds[_day.PingDevice[row]].CopyTo(b[n..]);
        n += _deviceIds[_day.PingDevice[row]].Length;
        b[n++] = (byte)',';
        n += Degrees(_day.PingLat7[row] + (kind == 2 ? 1_000_000_000 : 0), b[n..]);
        b[n++] = (byte)',';
        n += Degrees(_day.PingLon7[row], b[n..]);
        b[n++] = (byte)',';
        _day.PingAccuracy[row].TryFormat(b[n..], out var w, default, CultureInfo.InvariantCulture);
        n += w;
        b[n++] = (byte)'\n';
        return n;
    }

    private int FormatSearch(int row, long ms, int kind, Span<byte> b)
    {
        var n = Timestamp(ms, kind is 1 or 2, b);
        b[n++] = (byte)',';
        n += Field(_day.SearchQuery[row], b[n..]);
        b[n++] = (byte)',';
        n += Encoding.UTF8.GetBytes(_day.SearchPoi[row], b[n..]);
        "1\n"u8.CopyTo(b[(n + 1)..]);
        b[n] = (byte)',';
        return n + 3;
    }

    // RFC 4180: quoted when it holds a comma, quote or line break.
    private static int Field(string text, Span<byte> b)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0) return Encoding.UTF8.GetBytes(text, b);
        var quoted = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return Encoding.UTF8.GetBytes(quoted, b);
    }

    // Unix milliseconds; the malformed form is a local time that does not exist.
    private static int Timestamp(long ms, bool bad, Span<byte> b)
    {
        if (bad)
        {
            "2025-13-32T25:61:00+08:00"u8.CopyTo(b);
            return 25;
        }

        ms.TryFormat(b, out var w, default, CultureInfo.InvariantCulture);
        return w;
    }

    // 1e-7 degrees as a decimal with seven places, exactly (no floating point on the way).
    private static int Degrees(int units, Span<byte> b)
    {
        var n = 0;
        long v = units;
        if (v < 0)
        {
            b[n++] = (byte)'-';
            v = -v;
        }

        (v / 10_000_000).TryFormat(b[n..], out var w, default, CultureInfo.InvariantCulture);
        n += w;
        b[n++] = (byte)'.';
        (v % 10_000_000).TryFormat(b[n..], out w, "D7", CultureInfo.InvariantCulture);
        return n + w;
    }
}
