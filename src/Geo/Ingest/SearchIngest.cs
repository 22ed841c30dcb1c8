using System.Text;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Streams map-search records into search heat per (cell, slot). CSV columns: <c>timestamp</c>, <c>query</c> (any
/// language, UTF-8, a byte-order mark tolerated), the searched destination as <c>lat</c>,<c>lon</c> or as a
/// <c>poi_id</c> from the gazetteer, and <c>count</c> (searches aggregated in the record; 1 when the column is absent).
/// A record with neither is resolved by its query text if that names a gazetteer POI exactly. Query texts are used
/// for that and never kept.
/// </summary>
public sealed class SearchIngest(Grid grid, ISumTarget binner, PoiGazetteer? gazetteer)
{
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
        int its = header.IndexOfAny("timestamp", "time"), iq = header.IndexOf("query"), ilat = header.IndexOfAny("lat", "latitude"),
            ilon = header.IndexOfAny("lon", "lng", "longitude"), ipoi = header.IndexOf("poi_id"), icount = header.IndexOf("count");
        if (its < 0 || iq < 0 || ((ilat < 0 || ilon < 0) && ipoi < 0))
        {
            log.FileError(file, $"header has columns [{string.Join(", ", header.Names)}]; expected timestamp, query, lat and lon or poi_id, count");
            return;
        }

        if (ipoi >= 0 && gazetteer is null)
        {
            log.FileError(file, "has a poi_id column but no POI gazetteer was given (--poi)");
            return;
        }

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
            var count = 1.0;
            if (icount >= 0 && (!Numbers.TryParse(fields.Get(data, icount), out count) || count is < 0 or > Storage.SlotBatches.MaxValue))
            {
                if (!log.Reject(new(file, n, "count", "bad-number", Numbers.DescribeBad(fields.Get(data, icount), "a number of searches from 0 to 1e12")))) return;
                continue;
            }

            double lat, lon;
            if (!fields.Get(data, ipoi).IsEmpty)
            {
                var id = Encoding.UTF8.GetString(fields.Get(data, ipoi));
                if (gazetteer!.Find(id) is not { } poi) { if (!log.Reject(new(file, n, "poi_id", "unknown-poi", $"'{Clip(id)}' is not in the gazetteer"))) return; continue; }
                (lat, lon) = (poi.Lat, poi.Lon);
            }
            else if (!fields.Get(data, ilat).IsEmpty || !fields.Get(data, ilon).IsEmpty)
            {
                if (!Numbers.TryParse(fields.Get(data, ilat), out lat) || lat is < -90 or > 90) { if (!log.Reject(new(file, n, "lat", "bad-number", "expected a latitude in -90..90"))) return; continue; }
                if (!Numbers.TryParse(fields.Get(data, ilon), out lon) || lon is < -180 or > 180) { if (!log.Reject(new(file, n, "lon", "bad-number", "expected a longitude in -180..180"))) return; continue; }
            }
            else if (gazetteer?.FindByName(Encoding.UTF8.GetString(fields.Get(data, iq))) is { } named)
            {
                (lat, lon) = (named.Lat, named.Lon);
            }
            else
            {
                if (!log.Reject(new(file, n, "poi_id", "no-destination", "no lat/lon, no poi_id, and the query names no gazetteer POI"))) return;
                continue;
            }

            var cell = grid.TryLocateCell(lon, lat);
            if (cell < 0) { report.OutsideGrid++; report.Accepted++; continue; }
            if (!binner.Add(ms, cell, SumBinner.SearchChannel, count))
            {
                if (!log.Reject(new(file, n, "timestamp", "late", "its slot was already closed; sort the input or raise --lateness"))) return;
                continue;
            }

            report.Accepted++;
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
