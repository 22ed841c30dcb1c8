using System.Globalization;
using System.Text;
using CrowdWatch.Geo.CountFiles;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Forecast.Series;

/// <summary>
/// A panel from pre-aggregated counts in long CSV format (a timestamp, one or more key columns naming the place, one
/// or more value columns), so that the models can be tried on anyone's open data: bike-share grids, pedestrian
/// counters, station entries. Every value column named is a channel, and each place gets one series per channel.
/// Values are summed into slots of the given length (by default the shortest step between timestamps). A slot with
/// no row for a place, or an empty value, is missing, never zero: a counter that was down saw nobody only on paper.
/// Two integer key columns (row and column of a grid) make the places a grid, and each place's eight surrounding
/// cells its neighbours.
/// </summary>
public static class LongCountsPanel
{
    private static readonly string[] KeyColumns = ["key", "series", "sensor_id", "station", "station_id", "cell", "id"];

    /// <summary>What was read, beside the panel.</summary>
    /// <param name="Places">Places (distinct keys).</param>
    /// <param name="Channels">The value columns read.</param>
    /// <param name="MissingSlots">Place-channel-slots with no value.</param>
    /// <param name="Grid">Whether the keys were read as grid rows and columns.</param>
    public sealed record Summary(int Places, IReadOnlyList<string> Channels, long MissingSlots, bool Grid);

    /// <summary>
    /// Reads <paramref name="path"/> (gzip when it ends in .gz); bad rows are rejected through <paramref name="log"/>,
    /// each naming its line and field, and the rest read. A file that cannot be read as counts at all throws
    /// <see cref="InvalidDataException"/> saying what was expected.
    /// </summary>
    public static SlotPanel Read(string path, LongCountsOptions options, RejectLog log) => Read(path, options, log, out _);

    /// <inheritdoc cref="Read(string, LongCountsOptions, RejectLog)"/>
    public static SlotPanel Read(string path, LongCountsOptions options, RejectLog log, out Summary summary)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        using var input = InputFile.OpenRead(path);
        var lines = new Utf8LineReader(input);
        var fields = new CsvFields();
        if (CsvHeader.Read(lines, fields, path, log) is not { } header) throw new InvalidDataException($"{path}: no header line");
        var names = header.Names;
        var its = header.IndexOfAny("timestamp", "time", "slot_start");
        if (its < 0) throw new InvalidDataException($"{path}: header has columns [{string.Join(", ", names)}]; expected a timestamp column (timestamp, time or slot_start)");
        var ikeys = KeyIndices(path, header, options.Keys);
        var ivalues = ValueIndices(path, header, its, ikeys, options.Values);
        var channels = ivalues.Length;
        var zone = options.TimeZone;

        var times = new List<long>();
        var places = new List<int>();
        var values = new List<double>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new Dictionary<(int Place, long Ms), long>();
        var repeated = new HashSet<(int Place, long Wall)>();
        var key = new StringBuilder();
        var row = new double[channels];
        long duplicates = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            log.Report.Rows++;
            var n = lines.LineNumber;
            if (!fields.TrySplit(line, out var data, out var problem)) { if (!log.Reject(new(path, n, "line", "malformed-csv", problem!))) break; continue; }
            var stamp = fields.Get(data, its);
            if (!Timestamps.TryParseWall(stamp, out var ms, out var local, out problem)) { if (!log.Reject(new(path, n, names[its], "bad-timestamp", problem!))) break; continue; }

            key.Clear();
            var missingKey = -1;
            foreach (var k in ikeys)
            {
                var text = fields.Get(data, k);
                if (text.IsEmpty) { missingKey = k; break; }
                if (key.Length > 0) key.Append(',');
                key.Append(Encoding.UTF8.GetString(text));
            }

            if (missingKey >= 0) { if (!log.Reject(new(path, n, names[missingKey], "missing-key", "expected the place's key"))) break; continue; }
            var bad = -1;
            for (var c = 0; c < channels; c++)
            {
                var text = fields.Get(data, ivalues[c]);
                row[c] = double.NaN;
                if (!text.IsEmpty && (!Numbers.TryParse(text, out row[c]) || row[c] < 0 || !double.IsFinite(row[c]))) { bad = ivalues[c]; break; }
            }

            if (bad >= 0) { if (!log.Reject(new(path, n, names[bad], "bad-number", "expected a count of zero or more, or nothing"))) break; continue; }
            var k2 = key.ToString();
            if (!keys.TryGetValue(k2, out var place)) keys[k2] = place = keys.Count;
            if (local)
            {
                if (zone is null)
                    throw new InvalidDataException($"{path}:{n}: {names[its]} '{Encoding.UTF8.GetString(stamp)}' has no UTC offset; give --time-zone, the IANA zone the counts were recorded in (e.g. America/New_York)");
                var wall = ms;
                var kind = LocalInstants.Resolve(wall, zone, second: false, out ms);
                if (kind == LocalTimeKind.Skipped)
                {
                    if (!log.Reject(new(path, n, names[its], "skipped-local-time", $"{Encoding.UTF8.GetString(stamp)} does not exist in {zone.Id}: the clocks went forward past it"))) break;
                    continue;
                }

                // The repeated autumn hour: a place's first row is the daylight hour, its second the standard one.
                if (kind == LocalTimeKind.Repeated && !repeated.Add((place, wall))) LocalInstants.Resolve(wall, zone, second: true, out ms);
            }

            if (!seen.TryAdd((place, ms), n))
            {
                duplicates++;
                if (!log.Reject(new(path, n, string.Join(",", ikeys.Select(i => names[i])), "duplicate", $"line {seen[(place, ms)]} already gave place {k2} at this time"))) break;
                continue;
            }

            times.Add(ms);
            places.Add(place);
            foreach (var v in row) values.Add(v);
            log.Report.Accepted++;
        }

        if (times.Count == 0) throw new InvalidDataException($"{path}: no rows to forecast from");
        // A key that names no single series (a row of a grid without its column) repeats every timestamp.
        if (duplicates > times.Count)
            throw new InvalidDataException($"{path}: {duplicates:N0} rows repeat the time and key of another; the key [{string.Join(",", ikeys.Select(i => names[i]))}] does not name one series: give every key column (e.g. --key row,col)");
        var placeKeys = keys.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        return Build(path, options.SlotMinutes, times, places, values, placeKeys, [.. ivalues.Select(i => names[i])], ikeys.Length == 2, out summary);
    }

    // The rows as read (times, place indices, each row's values channel by channel) put on one slot grid: a series per
    // place and channel, gaps NaN, rows of one slot summed.
    private static SlotPanel Build(string path, int? slotMinutes, List<long> times, List<int> places, List<double> values, string[] placeKeys, string[] channelNames,
        bool twoKeys, out Summary summary)
    {
        var channels = channelNames.Length;
        var minutes = slotMinutes ?? InferSlotMinutes(times);
        if (minutes <= 0 || 1440 % minutes != 0) throw new InvalidDataException($"{path}: slots of {minutes} minutes; expected a length that divides a day (give --slot-minutes)");
        var slotMs = minutes * 60_000L;
        var first = Floor(times.Min(), slotMs);
        var slots = (int)((Floor(times.Max(), slotMs) - first) / slotMs) + 1;
        var count = placeKeys.Length;
        var series = new double[count * channels][];
        for (var s = 0; s < series.Length; s++) Array.Fill(series[s] = new double[slots], double.NaN);
        for (var r = 0; r < times.Count; r++)
        {
            var t = (int)((Floor(times[r], slotMs) - first) / slotMs);
            for (var c = 0; c < channels; c++)
            {
                var v = values[(r * channels) + c];
                if (double.IsNaN(v)) continue;
                ref var cell = ref series[(c * count) + places[r]][t];
                cell = double.IsNaN(cell) ? v : cell + v;
            }
        }

        var grid = twoKeys ? GridOf(placeKeys) : null;
        var neighbours = new int[series.Length][];
        var zones = new string[series.Length][];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < count; p++)
            {
                neighbours[(c * count) + p] = grid is null ? [] : [.. grid[p].Select(q => (c * count) + q)];
                // Events name a place by its key, or the whole file by "*".
                zones[(c * count) + p] = [placeKeys[p], AllPlaces];
            }
        }

        string[] seriesKeys = channels == 1 ? placeKeys : [.. Enumerable.Range(0, series.Length).Select(s => $"{placeKeys[s % count]} {channelNames[s / count]}")];
        var panelChannels = channels == 1 ? null : new PanelChannels(channelNames,
            [.. Enumerable.Range(0, series.Length).Select(s => s / count)], [.. Enumerable.Range(0, series.Length).Select(s => s % count)]);
        summary = new Summary(count, channelNames, series.Sum(v => (long)v.Count(double.IsNaN)), grid is not null);
        return new SlotPanel(seriesKeys, first, minutes, series, neighbours: neighbours, zones: zones, channels: panelChannels);
    }

    /// <summary>The zone name by which a calendar event applies to every place of a counts file.</summary>
    public const string AllPlaces = "*";

    private static long Floor(long ms, long slotMs) => (long)Math.Floor(ms / (double)slotMs) * slotMs;

    private static int[] KeyIndices(string path, CsvHeader header, IReadOnlyList<string>? wanted)
    {
        var names = header.Names;
        if (wanted is { Count: > 0 })
        {
            var missing = wanted.Where(k => header.IndexOf(k) < 0).ToArray();
            if (missing.Length > 0) throw new InvalidDataException($"{path}: no key column [{string.Join(", ", missing)}] in [{string.Join(", ", names)}]");
            return [.. wanted.Select(header.IndexOf)];
        }

        var one = header.IndexOfAny(KeyColumns);
        if (one >= 0) return [one];
        if (header.IndexOf("row") >= 0 && header.IndexOf("col") >= 0) return [header.IndexOf("row"), header.IndexOf("col")];
        throw new InvalidDataException($"{path}: header has columns [{string.Join(", ", names)}]; expected a key column ({string.Join(", ", KeyColumns)}, or row and col), or name them with --key");
    }

    private static int[] ValueIndices(string path, CsvHeader header, int its, int[] ikeys, IReadOnlyList<string>? wanted)
    {
        var names = header.Names;
        if (wanted is { Count: > 0 })
        {
            var missing = wanted.Where(k => header.IndexOf(k) < 0).ToArray();
            if (missing.Length > 0) throw new InvalidDataException($"{path}: no value column [{string.Join(", ", missing)}] in [{string.Join(", ", names)}]");
            var overlap = wanted.Where(v => header.IndexOf(v) == its || ikeys.Contains(header.IndexOf(v))).ToArray();
            if (overlap.Length > 0) throw new InvalidDataException($"{path}: [{string.Join(", ", overlap)}] is the timestamp or a key, not a value column");
            return [.. wanted.Select(header.IndexOf)];
        }

        var others = Enumerable.Range(0, names.Count).Where(i => i != its && !ikeys.Contains(i) && names[i].Length > 0).ToArray();
        return others.Length switch
        {
            1 => others,
            0 => throw new InvalidDataException($"{path}: no value column beside the timestamp and key in [{string.Join(", ", names)}]"),
            // Guessing would forecast a latitude as readily as a count.
            _ => throw new InvalidDataException($"{path}: value columns [{string.Join(", ", others.Select(i => names[i]))}]; name the ones to forecast with --values (each is a channel)"),
        };
    }

    // Each place's surrounding cells where every key is "row,col" in whole numbers; null otherwise.
    private static int[][]? GridOf(string[] keys)
    {
        var at = new Dictionary<(int Row, int Col), int>();
        for (var p = 0; p < keys.Length; p++)
        {
            var parts = keys[p].Split(',');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r)
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c)) return null;
            at[(r, c)] = p;
        }

        var result = new int[keys.Length][];
        foreach (var ((r, c), p) in at)
        {
            var list = new List<int>(8);
            for (var dr = -1; dr <= 1; dr++)
                for (var dc = -1; dc <= 1; dc++)
                    if ((dr, dc) != (0, 0) && at.TryGetValue((r + dr, c + dc), out var q)) list.Add(q);
            result[p] = [.. list];
        }

        return result;
    }

    // The shortest step between distinct timestamps, rounded to a length that divides a day.
    private static int InferSlotMinutes(List<long> times)
    {
        var distinct = times.Distinct().Order().ToArray();
        var step = long.MaxValue;
        for (var i = 1; i < distinct.Length; i++) step = Math.Min(step, distinct[i] - distinct[i - 1]);
        if (step == long.MaxValue) return 60;
        var minutes = (int)Math.Max(1, step / 60_000);
        while (1440 % minutes != 0) minutes++;
        return minutes;
    }
}
