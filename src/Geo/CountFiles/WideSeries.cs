using System.Globalization;
using System.Text;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.CountFiles;

/// <summary>
/// The compact series format for long histories of chosen cells: one row per (slot, channel) with a column per cell,
/// <c>slot_start,channel,cell_4391,cell_4392,...</c>, an empty field meaning 0 and a row of zeros left out. Eight weeks of
/// five channels for a few hundred cells is some 27 000 rows, where the long format would need millions.
/// </summary>
public static class WideSeries
{
    /// <summary>Writes the header naming the cells, in the order values are given.</summary>
    public static void WriteHeader(TextWriter writer, IReadOnlyList<int> cells)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(cells);
        var sb = new StringBuilder("slot_start,channel");
        foreach (var c in cells) sb.Append(",cell_").Append(c.ToString(CultureInfo.InvariantCulture));
        writer.WriteLine(sb);
    }

    /// <summary>Writes one slot's values of one channel for the header's cells (<paramref name="valuesByCell"/> is indexed by cell id).</summary>
    public static void WriteRow(TextWriter writer, Area area, long slotStartMs, string channel, IReadOnlyList<int> cells, Func<int, double> valuesByCell)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(valuesByCell);
        var sb = new StringBuilder(cells.Count * 3);
        sb.Append(SeriesCsv.SlotLabel(area, slotStartMs)).Append(',').Append(channel);
        var any = false;
        foreach (var c in cells)
        {
            sb.Append(',');
            var v = valuesByCell(c);
            if (v == 0) continue;
            any = true;
            sb.Append(v.ToString("0.####", CultureInfo.InvariantCulture));
        }

        if (any) writer.WriteLine(sb);
    }

    /// <summary>
    /// Reads a wide series: calls <paramref name="row"/> with each row's slot start (Unix ms), channel, the header's cells
    /// and the values in their order. Bad rows are rejected through <paramref name="log"/> and skipped. Returns the
    /// header's cells.
    /// </summary>
    public static int[] Read(Stream stream, string file, RejectLog log, Action<long, string, int[], double[]> row)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(row);
        var lines = new Utf8LineReader(stream);
        var fields = new CsvFields();
        if (!lines.TryReadLine(out var headerLine) || !fields.TrySplit(headerLine, out var header, out _) || fields.Count < 3)
        {
            log.FileError(file, "expected a header slot_start,channel,cell_ID,...");
            return [];
        }

        var cells = new int[fields.Count - 2];
        for (var i = 0; i < cells.Length; i++)
        {
            var name = Encoding.UTF8.GetString(fields.Get(header, i + 2));
            if (!name.StartsWith("cell_", StringComparison.Ordinal) || !int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out cells[i]))
            {
                log.FileError(file, $"header column {i + 3} is '{name}'; expected cell_ID");
                return [];
            }
        }

        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            log.Report.Rows++;
            var n = lines.LineNumber;
            if (!fields.TrySplit(line, out var data, out var problem) || fields.Count != cells.Length + 2)
            {
                if (!log.Reject(new(file, n, "line", "malformed-csv", problem ?? $"has {fields.Count} fields; the header names {cells.Length + 2}"))) break;
                continue;
            }

            if (!Timestamps.TryParse(fields.Get(data, 0), out var ms, out problem))
            {
                if (!log.Reject(new(file, n, "slot_start", "bad-timestamp", problem!))) break;
                continue;
            }

            var values = new double[cells.Length];
            var ok = true;
            for (var i = 0; i < cells.Length && ok; i++)
            {
                var text = fields.Get(data, i + 2);
                if (text.IsEmpty) continue;
                ok = Numbers.TryParse(text, out values[i]);
                if (!ok && !log.Reject(new(file, n, $"cell_{cells[i]}", "bad-number", "expected a number or nothing"))) return cells;
            }

            if (!ok) continue;
            log.Report.Accepted++;
            row(ms, Encoding.UTF8.GetString(fields.Get(data, 1)), cells, values);
        }

        return cells;
    }
}
