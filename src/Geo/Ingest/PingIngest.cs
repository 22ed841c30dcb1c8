using System.Text;
using System.Text.Json;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Streams location pings from CSV or NDJSON through validation and pseudonymisation into a <see cref="PingBinner"/>
/// (or another <see cref="IPingTarget"/>: the ingest log of a node that bins nothing itself).
/// Columns: <c>timestamp</c>, <c>device_id</c>, <c>lat</c>, <c>lon</c>, optional <c>accuracy_m</c>; other columns are
/// ignored. Each bad row is rejected with its line and field and the rest of the file goes on. Memory is bounded by
/// the devices active within the flow gap plus lateness, not by the file.
/// </summary>
public sealed class PingIngest
{
    private readonly DeviceDirectory _devices;
    private readonly IPingTarget _binner;
    private readonly double _maxAccuracyM;
    private readonly long _evictIdleMs;
    private long _nextEvictionMs = long.MinValue;

    // Rows parsed and validated but not yet binned: binning a batch at once lets the directory and binner
    // prefetch their per-device memory (see PingBinner).
    private const int BatchSize = 256;
    private const int MaxIdBytes = 256;
    private readonly long[] _ms = new long[BatchSize];
    private readonly double[] _lat = new double[BatchSize];
    private readonly double[] _lon = new double[BatchSize];
    private readonly UInt128[] _hash = new UInt128[BatchSize];
    private readonly int[] _idLength = new int[BatchSize];
    private readonly byte[] _ids = new byte[BatchSize * MaxIdBytes];
    private readonly long[] _line = new long[BatchSize];
    private readonly int[] _device = new int[BatchSize];
    private readonly BinOutcome[] _outcomes = new BinOutcome[BatchSize];
    private readonly byte[][] _jsonScratch = [new byte[MaxIdBytes], new byte[MaxIdBytes], new byte[MaxIdBytes], new byte[MaxIdBytes], new byte[MaxIdBytes]];
    private readonly TimestampReader _timestamps = new();
    private int _batched;
    private string _batchFile = "";
    private long _notAfterMs = long.MaxValue;

    /// <summary>Creates an ingest feeding <paramref name="binner"/>.</summary>
    /// <param name="devices">Pseudonymises device ids and holds their indices.</param>
    /// <param name="binner">Receives the pings.</param>
    /// <param name="maxAccuracyM">Pings whose reported accuracy radius is coarser than this are rejected.</param>
    /// <param name="evictIdleAfter">Devices unseen for this long are forgotten (at least flow gap + lateness + a slot).</param>
    public PingIngest(DeviceDirectory devices, IPingTarget binner, double maxAccuracyM, TimeSpan evictIdleAfter)
    {
        _devices = devices ?? throw new ArgumentNullException(nameof(devices));
        _binner = binner ?? throw new ArgumentNullException(nameof(binner));
        _maxAccuracyM = maxAccuracyM;
        _evictIdleMs = (long)evictIdleAfter.TotalMilliseconds;
    }

    /// <summary>Records dated past this bound are refused as <c>future</c>; none is refused when null.</summary>
    public FutureBound? Future { get; init; }

    // The bound is read from the clock once per input and every 65,536 rows, not per row.
    private void ReadBound() => _notAfterMs = Future?.NotAfterMs ?? long.MaxValue;

    /// <summary>Reads a CSV stream with a header line.</summary>
    public void ReadCsv(Stream stream, string file, RejectLog log, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = new Utf8LineReader(stream);
        var fields = new CsvFields();
        if (CsvHeader.Read(lines, fields, file, log) is not { } header) return;
        string? problem;
        var its = header.IndexOfAny("timestamp", "time", "ts");
        var idev = header.IndexOfAny("device_id", "device");
        var ilat = header.IndexOfAny("lat", "latitude");
        var ilon = header.IndexOfAny("lon", "lng", "longitude");
        var iacc = header.IndexOfAny("accuracy_m", "accuracy");
        if (its < 0 || idev < 0 || ilat < 0 || ilon < 0)
        {
            log.FileError(file, $"header has columns [{string.Join(", ", header.Names)}]; expected timestamp, device_id, lat, lon and optionally accuracy_m");
            return;
        }

        var needed = Math.Max(Math.Max(its, idev), Math.Max(ilat, Math.Max(ilon, iacc))) + 1;
        var report = log.Report;
        ReadBound();
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            report.Rows++;
            var n = lines.LineNumber;
            if ((report.Rows & 0xFFFF) == 0) { progress?.Report(lines.BytesRead); ReadBound(); }
            if (lines.LastLineTooLong) { if (!log.Reject(new(file, n, "line", "too-long", $"longer than {Utf8LineReader.MaxLineBytes} bytes"))) return; continue; }
            if (!fields.TrySplit(line, out var data, out problem)) { if (!log.Reject(new(file, n, "line", "malformed-csv", problem!))) return; continue; }
            if (fields.Count < needed)
            {
                if (!log.Reject(new(file, n, "line", "missing-field", $"has {fields.Count} fields; the header names {header.Names.Count}"))) return;
                continue;
            }

            var acc = iacc >= 0 ? data[fields[iacc]] : default;
            if (!Accept(file, n, data[fields[its]], data[fields[idev]], data[fields[ilat]], data[fields[ilon]], acc, log)) return;
        }

        Flush(log);
        progress?.Report(lines.BytesRead);
    }

    /// <summary>Reads newline-delimited JSON: one object per line with the same field names as the CSV.</summary>
    public void ReadNdjson(Stream stream, string file, RejectLog log, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = new Utf8LineReader(stream);
        var report = log.Report;
        ReadBound();
        while (lines.TryReadLine(out var line))
        {
            if (Timestamps.Trim(line).IsEmpty) continue;
            report.Rows++;
            var n = lines.LineNumber;
            if ((report.Rows & 0xFFFF) == 0) { progress?.Report(lines.BytesRead); ReadBound(); }
            if (!TryReadObject(line, out var ts, out var dev, out var lat, out var lon, out var acc, out var problem))
            {
                if (!log.Reject(new(file, n, "line", "malformed-json", problem!))) return;
                continue;
            }

            if (!Accept(file, n, ts, dev, lat, lon, acc, log)) return;
        }

        Flush(log);
        progress?.Report(lines.BytesRead);
    }

    /// <summary>Ends the input: closes all slots.</summary>
    public void Complete() => _binner.Complete();

    private bool Accept(string file, long n, ReadOnlySpan<byte> ts, ReadOnlySpan<byte> dev, ReadOnlySpan<byte> latText,
        ReadOnlySpan<byte> lonText, ReadOnlySpan<byte> accText, RejectLog log)
    {
        if (!_timestamps.TryParse(ts, out var ms, out var problem)) return log.Reject(new(file, n, "timestamp", "bad-timestamp", problem!));
        if (ms > _notAfterMs) return log.Reject(new(file, n, "timestamp", FutureBound.Reason, Future!.Describe(ms, _notAfterMs)));
        dev = Timestamps.Trim(dev);
        // Nothing of the id is echoed: not even a bad one may reach a log.
        if (dev.IsEmpty) return log.Reject(new(file, n, "device_id", "missing-field", "empty; expected a device identifier"));
        if (dev.Length > 256) return log.Reject(new(file, n, "device_id", "bad-device-id", "longer than 256 bytes"));
        if (!Numbers.TryParse(latText, out var lat)) return log.Reject(new(file, n, "lat", "bad-number", Numbers.DescribeBad(latText, "a latitude in decimal degrees")));
        if (!Numbers.TryParse(lonText, out var lon)) return log.Reject(new(file, n, "lon", "bad-number", Numbers.DescribeBad(lonText, "a longitude in decimal degrees")));
        if (lat is < -90 or > 90) return log.Reject(new(file, n, "lat", "out-of-range", "outside -90..90 (are lat and lon swapped?)"));
        if (lon is < -180 or > 180) return log.Reject(new(file, n, "lon", "out-of-range", "outside -180..180"));
        if (!accText.IsEmpty && !Timestamps.Trim(accText).IsEmpty)
        {
            if (!Numbers.TryParse(accText, out var accuracy) || accuracy < 0)
                return log.Reject(new(file, n, "accuracy_m", "bad-number", Numbers.DescribeBad(accText, "a non-negative radius in metres")));
            if (accuracy > _maxAccuracyM)
                return log.Reject(new(file, n, "accuracy_m", "too-inaccurate", $"{accuracy} m is coarser than the {_maxAccuracyM} m accepted"));
        }

        if (_batched > 0 && !ReferenceEquals(_batchFile, file) && !Flush(log)) return false;
        _batchFile = file;
        var b = _batched++;
        _ms[b] = ms;
        _lat[b] = lat;
        _lon[b] = lon;
        _line[b] = n;
        _idLength[b] = dev.Length;
        dev.CopyTo(_ids.AsSpan(b * MaxIdBytes));
        _hash[b] = _devices.Hash(dev);
        _devices.Prefetch(_hash[b]);
        return _batched < BatchSize || Flush(log);
    }

    /// <summary>Pseudonymises and bins the batched rows; false when the error limit was reached.</summary>
    private bool Flush(RejectLog log)
    {
        var count = _batched;
        _batched = 0;
        if (count == 0) return true;
        for (var b = 0; b < count; b++)
        {
            _device[b] = _devices.Resolve(_hash[b], _ids.AsSpan(b * MaxIdBytes, _idLength[b]), _ms[b], out var isNew);
            if (isNew) _binner.ResetDevice(_device[b]);
        }

        _binner.AddBatch(_lon.AsSpan(0, count), _lat.AsSpan(0, count), _ms.AsSpan(0, count), _device.AsSpan(0, count), _outcomes);
        var report = log.Report;
        var go = true;
        for (var b = 0; b < count; b++)
        {
            switch (_outcomes[b])
            {
                case BinOutcome.Late:
                    go &= log.Reject(new(_batchFile, _line[b], "timestamp", "late", "its slot was already closed (older than the lateness allowed); sort the input or raise --lateness"));
                    continue;
                case BinOutcome.Duplicate:
                    report.Duplicates++;
                    break;
                case BinOutcome.OutsideGrid:
                    report.OutsideGrid++;
                    break;
            }

            report.Accepted++;
        }

        var watermark = _binner.Watermark;
        if (watermark >= _nextEvictionMs)
        {
            if (_nextEvictionMs != long.MinValue) _devices.EvictIdle(watermark - _evictIdleMs);
            _nextEvictionMs = watermark + (_evictIdleMs / 4);
        }

        return go;
    }

    private bool TryReadObject(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> ts, out ReadOnlySpan<byte> dev,
        out ReadOnlySpan<byte> lat, out ReadOnlySpan<byte> lon, out ReadOnlySpan<byte> acc, out string? problem)
    {
        ts = dev = lat = lon = acc = default;
        problem = null;
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { problem = "expected a JSON object"; return false; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                if (!reader.Read()) break;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) { reader.Skip(); continue; }
                var field = name.SequenceEqual("timestamp"u8) ? 0 : name.SequenceEqual("device_id"u8) ? 1 : name.SequenceEqual("lat"u8) ? 2
                    : name.SequenceEqual("lon"u8) ? 3 : name.SequenceEqual("accuracy_m"u8) ? 4 : -1;
                if (field < 0) continue;
                ReadOnlySpan<byte> value = default;
                if (reader.TokenType is JsonTokenType.String && reader.ValueIsEscaped)
                {
                    // "dev\u002d1" and "dev-1" are the same id: unescape into this field's scratch buffer.
                    var scratch = _jsonScratch[field];
                    if (reader.ValueSpan.Length > scratch.Length) { problem = $"field {Encoding.UTF8.GetString(name)} is longer than {scratch.Length} bytes"; return false; }
                    value = scratch.AsSpan(0, reader.CopyString(scratch));
                }
                else if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    value = reader.ValueSpan;
                }

                switch (field)
                {
                    case 0: ts = value; break;
                    case 1: dev = value; break;
                    case 2: lat = value; break;
                    case 3: lon = value; break;
                    default: acc = value; break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject) { problem = "the object is not closed"; return false; }
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON at byte {e.BytePositionInLine + 1}";
            return false;
        }

        return true;
    }
}
