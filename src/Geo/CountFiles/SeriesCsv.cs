using System.Globalization;
using System.Text;
using CrowdWatch.Geo.Areas;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.CountFiles;

/// <summary>
/// The binned series file written by <c>crowdwatch ingest</c> until the store exists: long-format CSV, one row per
/// (area, slot, cell, channel) with a non-zero value:
/// <c>area,slot_start,slot_minutes,cell,row,col,channel,value</c>. <c>slot_start</c> is the slot's local start with
/// its UTC offset. Channels: <c>devices</c> (distinct devices), <c>people</c> (devices / panel factor), <c>inflow</c>,
/// <c>outflow</c>, <c>search</c>, and <c>counts.NAME</c> for pre-aggregated channels. Only aggregates: no device id
/// or coordinate is ever in it.
/// </summary>
public static class SeriesCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "area,slot_start,slot_minutes,cell,row,col,channel,value";

    /// <summary>Header of the movements file: devices moving between zones per slot.</summary>
    public const string MovementsHeader = "area,slot_start,slot_minutes,origin_zone,destination_zone,devices";

    /// <summary>Writes one closed slot's counts.</summary>
    public static void Write(TextWriter writer, Area area, SlotCounts counts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(counts);
        var ci = CultureInfo.InvariantCulture;
        var start = SlotLabel(area, counts.SlotStartMs);
        var prefix = $"{area.Name},{start},{area.Settings.SlotMinutes},";
        var cols = area.Grid.Spec.Cols;
        var sb = new StringBuilder(256);
        foreach (var (cell, channel, value) in SlotChannels.Of(counts, area.Settings.PanelFactor))
        {
            sb.Clear();
            sb.Append(prefix).Append(cell).Append(',').Append(cell / cols).Append(',').Append(cell % cols).Append(',')
              .Append(channel).Append(',').Append(value.ToString("0.####", ci));
            writer.WriteLine(sb);
        }
    }

    /// <summary>Writes one closed slot's movements between zones ("" is outside every zone).</summary>
    public static void WriteMovements(TextWriter writer, Area area, SlotCounts counts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Movements is not { } movements) return;
        var start = SlotLabel(area, counts.SlotStartMs);
        foreach (var ((from, to), n) in movements.OrderBy(m => m.Key))
        {
            var o = from < 0 ? "" : CsvText.Quote(area.Zones.Zones[from].Name);
            var d = to < 0 ? "" : CsvText.Quote(area.Zones.Zones[to].Name);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{area.Name},{start},{area.Settings.SlotMinutes},{o},{d},{n}"));
        }
    }

    /// <summary>
    /// Reads the values of one channel for one slot of one area, summed per cell. Rows of other areas, slots or
    /// channels are skipped; malformed rows are reported through <paramref name="log"/>.
    /// </summary>
    public static double[] ReadChannel(Stream stream, string file, Area area, long slotStartMs, string channel, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(log);
        var values = new double[area.Grid.Spec.CellCount];
        var lines = new Utf8LineReader(stream);
        var fields = new CsvFields();
        if (!lines.TryReadLine(out var header) || !header.SequenceEqual(Encoding.UTF8.GetBytes(Header)))
        {
            log.FileError(file, $"expected the series header '{Header}'");
            return values;
        }

        var areaBytes = Encoding.UTF8.GetBytes(area.Name);
        var channelBytes = Encoding.UTF8.GetBytes(channel);
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            log.Report.Rows++;
            var n = lines.LineNumber;
            if (!fields.TrySplit(line, out var data, out var problem) || fields.Count != 8)
            {
                if (!log.Reject(new(file, n, "line", "malformed-csv", problem ?? "expected 8 fields"))) break;
                continue;
            }

            if (!fields.Get(data, 0).SequenceEqual(areaBytes) || !fields.Get(data, 6).SequenceEqual(channelBytes)) continue;
            if (!Timestamps.TryParse(fields.Get(data, 1), out var ms, out problem))
            {
                if (!log.Reject(new(file, n, "slot_start", "bad-timestamp", problem!))) break;
                continue;
            }

            if (ms != slotStartMs) continue;
            if (!int.TryParse(Encoding.UTF8.GetString(fields.Get(data, 3)), NumberStyles.None, CultureInfo.InvariantCulture, out var cell)
                || cell >= values.Length)
            {
                if (!log.Reject(new(file, n, "cell", "bad-key", $"expected a cell id in 0..{values.Length - 1}"))) break;
                continue;
            }

            if (!Numbers.TryParse(fields.Get(data, 7), out var v))
            {
                if (!log.Reject(new(file, n, "value", "bad-number", "expected a number"))) break;
                continue;
            }

            values[cell] += v;
            log.Report.Accepted++;
        }

        return values;
    }

    /// <summary>The slot's local start with offset, e.g. 2026-10-01T20:00:00+08:00.</summary>
    public static string SlotLabel(Area area, long slotStartMs)
    {
        ArgumentNullException.ThrowIfNull(area);
        var offset = area.TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(slotStartMs));
        return DateTimeOffset.FromUnixTimeMilliseconds(slotStartMs).ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
    }
}
