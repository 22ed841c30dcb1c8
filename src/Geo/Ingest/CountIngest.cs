using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Streams pre-aggregated counts (people counters, bike-share docks, operators' counts) in long CSV format into named
/// channels per (cell, slot). Columns: <c>timestamp</c>; a key, either <c>cell</c> (a cell id of this grid),
/// <c>row</c> and <c>col</c>, or <c>lat</c> and <c>lon</c> (with an optional <c>sensor_id</c>, which is not kept);
/// every other column is a channel (e.g. <c>inflow</c>, <c>outflow</c>) whose values are summed. An empty value means
/// "not reported" and is skipped.
/// </summary>
public sealed class CountIngest(Grid grid, SumBinner binner)
{
    /// <summary>Prefix of channel names in the binned series, so channels never collide with CrowdWatch's own.</summary>
    public const string ChannelPrefix = "counts.";

    /// <summary>Records dated past this bound are refused as <c>future</c>; none is refused when null.</summary>
    public FutureBound? Future { get; init; }

    /// <summary>Reads one CSV stream.</summary>
    public void ReadCsv(Stream stream, string file, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(binner);
        var lines = new Utf8LineReader(stream);
        var fields = new CsvFields();
        if (CsvHeader.Read(lines, fields, file, log) is not { } header) return;
        string? problem;
        int its = header.IndexOfAny("timestamp", "time"), icell = header.IndexOf("cell"), irow = header.IndexOf("row"), icol = header.IndexOf("col"),
            ilat = header.IndexOfAny("lat", "latitude"), ilon = header.IndexOfAny("lon", "lng", "longitude"), isensor = header.IndexOf("sensor_id");
        var key = icell >= 0 ? "cell" : irow >= 0 && icol >= 0 ? "rowcol" : ilat >= 0 && ilon >= 0 ? "latlon" : null;
        if (its < 0 || key is null)
        {
            log.FileError(file, $"header has columns [{string.Join(", ", header.Names)}]; expected timestamp, a key (cell, or row and col, or lat and lon with sensor_id) and value columns");
            return;
        }

        var keyColumns = new HashSet<int> { its, icell, irow, icol, ilat, ilon, isensor };
        var channels = Enumerable.Range(0, header.Names.Count).Where(i => !keyColumns.Contains(i) && header.Names[i].Length > 0)
            .Select(i => (Index: i, Name: header.Names[i], Channel: ChannelPrefix + header.Names[i])).ToArray();
        if (channels.Length == 0) { log.FileError(file, "has no value columns; expected one or more named channels such as inflow, outflow"); return; }

        var values = new double[channels.Length];
        var present = new bool[channels.Length];
        var report = log.Report;
        var notAfter = Future?.NotAfterMs ?? long.MaxValue;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            report.Rows++;
            var n = lines.LineNumber;
            if ((report.Rows & 0xFFFF) == 0) notAfter = Future?.NotAfterMs ?? long.MaxValue;
            if (!fields.TrySplit(line, out var data, out problem)) { if (!log.Reject(new(file, n, "line", "malformed-csv", problem!))) return; continue; }
            if (!Timestamps.TryParse(fields.Get(data, its), out var ms, out problem)) { if (!log.Reject(new(file, n, "timestamp", "bad-timestamp", problem!))) return; continue; }
            if (ms > notAfter) { if (!log.Reject(new(file, n, "timestamp", FutureBound.Reason, Future!.Describe(ms, notAfter)))) return; continue; }

            var cell = CellOf(key, fields, data, (icell, irow, icol, ilat, ilon), out var badField, out var bad);
            if (bad is not null) { if (!log.Reject(new(file, n, badField!, "bad-key", bad))) return; continue; }

            var valid = true;
            for (var k = 0; k < channels.Length && valid; k++)
            {
                var text = fields.Get(data, channels[k].Index);
                present[k] = !text.IsEmpty;
                if (!present[k]) continue;
                if (!Numbers.TryParse(text, out values[k]) || values[k] is < 0 or > Storage.SlotBatches.MaxValue)
                {
                    valid = false;
                    if (!log.Reject(new(file, n, channels[k].Name, "bad-number", Numbers.DescribeBad(text, "a count from 0 to 1e12, or empty")))) return;
                }
            }

            if (!valid) continue;
            if (cell < 0) { report.OutsideGrid++; report.Accepted++; continue; }

            var late = false;
            for (var k = 0; k < channels.Length; k++)
                if (present[k] && !binner.Add(ms, cell, channels[k].Channel, values[k])) late = true;
            if (late) { if (!log.Reject(new(file, n, "timestamp", "late", "its slot was already closed; sort the input or raise --lateness"))) return; continue; }
            report.Accepted++;
        }
    }

    // The cell a row's key columns name (-1: outside the grid); a bad key says which field and what was expected.
    private int CellOf(string key, CsvFields fields, ReadOnlySpan<byte> data, (int Cell, int Row, int Col, int Lat, int Lon) at, out string? badField, out string? bad)
    {
        var (icell, irow, icol, ilat, ilon) = at;
        int cell;
        (bad, badField) = (null, null);
        switch (key)
        {
            case "cell":
                cell = ParseInt(fields.Get(data, icell));
                if (cell < 0 || cell >= grid.Spec.CellCount) { bad = $"expected a cell id of this grid (0..{grid.Spec.CellCount - 1})"; badField = "cell"; }
                break;
            case "rowcol":
                var r = ParseInt(fields.Get(data, irow));
                var c = ParseInt(fields.Get(data, icol));
                cell = r * grid.Spec.Cols + c;
                if (r < 0 || r >= grid.Spec.Rows) { bad = $"expected a row in 0..{grid.Spec.Rows - 1}"; badField = "row"; }
                else if (c < 0 || c >= grid.Spec.Cols) { bad = $"expected a col in 0..{grid.Spec.Cols - 1}"; badField = "col"; }
                break;
            default:
                cell = -1;
                if (!Numbers.TryParse(fields.Get(data, ilat), out var lat) || lat is < -90 or > 90) { bad = "expected a latitude in -90..90"; badField = "lat"; }
                else if (!Numbers.TryParse(fields.Get(data, ilon), out var lon) || lon is < -180 or > 180) { bad = "expected a longitude in -180..180"; badField = "lon"; }
                else cell = grid.TryLocateCell(lon, lat);
                break;
        }

        return cell;
    }

    private static int ParseInt(ReadOnlySpan<byte> s) =>
        System.Buffers.Text.Utf8Parser.TryParse(s, out int v, out var used) && used == s.Length ? v : -1;
}
