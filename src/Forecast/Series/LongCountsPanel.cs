using System.Text;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Forecast.Series;

/// <summary>
/// A panel from pre-aggregated counts in long CSV format, the Geo engine's (a timestamp, a key per series, one or more
/// value columns), so that the models can be tried on anyone's open data: bike-share docks, pedestrian counters,
/// station entries. Values are summed into slots of the given length (by default the shortest step between
/// timestamps); a slot with no row for a key counts zero (counters report nothing when nobody passes), an empty value
/// is "not reported" and stays missing.
/// </summary>
public static class LongCountsPanel
{
    private static readonly string[] KeyColumns = ["key", "series", "sensor_id", "station", "station_id", "cell", "id"];

    /// <summary>Reads <paramref name="path"/> (gzip when it ends in .gz); bad rows are rejected through <paramref name="log"/> and the rest read.</summary>
    public static SlotPanel Read(string path, string? keyColumn, string? channel, int? slotMinutes, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        using var input = InputFile.OpenRead(path);
        var lines = new Utf8LineReader(input);
        var fields = new CsvFields();
        if (CsvHeader.Read(lines, fields, path, log) is not { } header) throw new InvalidDataException($"{path}: no header line");
        var its = header.IndexOfAny("timestamp", "time", "slot_start");
        var ikey = keyColumn is null ? header.IndexOfAny(KeyColumns) : header.IndexOf(keyColumn);
        if (its < 0 || ikey < 0)
            throw new InvalidDataException($"{path}: header has columns [{string.Join(", ", header.Names)}]; expected timestamp and a key column ({keyColumn ?? string.Join(", ", KeyColumns)})");
        var ivalue = channel is null
            ? Enumerable.Range(0, header.Names.Count).FirstOrDefault(i => i != its && i != ikey && header.Names[i].Length > 0, -1)
            : header.IndexOf(channel);
        if (ivalue < 0) throw new InvalidDataException($"{path}: no value column {(channel is null ? "" : $"'{channel}' ")}in [{string.Join(", ", header.Names)}]");

        var rows = new List<(long Ms, int Key, double Value)>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            log.Report.Rows++;
            var n = lines.LineNumber;
            if (!fields.TrySplit(line, out var data, out var problem)) { if (!log.Reject(new(path, n, "line", "malformed-csv", problem!))) break; continue; }
            if (!Timestamps.TryParse(fields.Get(data, its), out var ms, out problem)) { if (!log.Reject(new(path, n, header.Names[its], "bad-timestamp", problem!))) break; continue; }
            var keyText = fields.Get(data, ikey);
            if (keyText.IsEmpty) { if (!log.Reject(new(path, n, header.Names[ikey], "missing-key", "expected the series' key"))) break; continue; }
            var valueText = fields.Get(data, ivalue);
            var value = double.NaN;
            if (!valueText.IsEmpty && (!Numbers.TryParse(valueText, out value) || value < 0 || !double.IsFinite(value)))
            {
                if (!log.Reject(new(path, n, header.Names[ivalue], "bad-number", "expected a count of zero or more, or nothing"))) break;
                continue;
            }

            var k = Encoding.UTF8.GetString(keyText);
            if (!keys.TryGetValue(k, out var id)) keys[k] = id = keys.Count;
            rows.Add((ms, id, value));
            log.Report.Accepted++;
        }

        if (rows.Count == 0) throw new InvalidDataException($"{path}: no rows to forecast from");
        var minutes = slotMinutes ?? InferSlotMinutes(rows);
        if (minutes <= 0 || 1440 % minutes != 0) throw new InvalidDataException($"{path}: slots of {minutes} minutes; expected a length that divides a day (give --slot-minutes)");
        var slotMs = minutes * 60_000L;
        var first = rows.Min(r => r.Ms) / slotMs * slotMs;
        var slots = (int)((rows.Max(r => r.Ms) / slotMs * slotMs - first) / slotMs) + 1;
        var values = keys.Keys.Select(_ => new double[slots]).ToArray();
        foreach (var (ms, key, value) in rows)
        {
            var t = (int)((ms / slotMs * slotMs - first) / slotMs);
            values[key][t] = double.IsNaN(value) && values[key][t] == 0 ? double.NaN : (double.IsNaN(values[key][t]) ? 0 : values[key][t]) + (double.IsNaN(value) ? 0 : value);
        }

        return new SlotPanel([.. keys.OrderBy(p => p.Value).Select(p => p.Key)], first, minutes, values);
    }

    // The shortest step between distinct timestamps, rounded to a length that divides a day.
    private static int InferSlotMinutes(List<(long Ms, int Key, double Value)> rows)
    {
        var times = rows.Select(r => r.Ms).Distinct().Order().ToArray();
        var step = long.MaxValue;
        for (var i = 1; i < times.Length; i++) step = Math.Min(step, times[i] - times[i - 1]);
        if (step == long.MaxValue) return 60;
        var minutes = (int)Math.Max(1, step / 60_000);
        while (1440 % minutes != 0) minutes++;
        return minutes;
    }
}
