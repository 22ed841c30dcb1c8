using System.Text;

namespace CrowdWatch.Geo.Ingest;

/// <summary>
/// Points of interest by id and by name: CSV with columns <c>id</c> (or <c>poi_id</c>), <c>name_zh</c>,
/// <c>name_en</c>, <c>aliases</c> (separated by <c>|</c>), <c>lat</c>, <c>lon</c>. Names match after Unicode
/// normalisation (NFKC), trimming and case folding, so full-width and half-width forms agree.
/// </summary>
public sealed class PoiGazetteer
{
    private readonly Dictionary<string, Poi> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Poi> _byName = new(StringComparer.Ordinal);

    /// <summary>Number of POIs.</summary>
    public int Count => _byId.Count;

    /// <summary>The POI with this id, if any.</summary>
    public Poi? Find(string id) => _byId.GetValueOrDefault(id.Trim());

    /// <summary>The POI a search query names exactly (by any of its names or aliases), if any.</summary>
    public Poi? FindByName(string query) => _byName.GetValueOrDefault(Normalise(query));

    /// <summary>Adds a POI; its id must be new.</summary>
    public void Add(Poi poi)
    {
        ArgumentNullException.ThrowIfNull(poi);
        _byId.Add(poi.Id, poi);
        foreach (var name in poi.Aliases.Append(poi.NameZh).Append(poi.NameEn))
            if (!string.IsNullOrWhiteSpace(name)) _byName.TryAdd(Normalise(name), poi);
    }

    /// <summary>Loads a gazetteer CSV; bad rows are rejected through <paramref name="log"/>.</summary>
    public static PoiGazetteer Load(Stream stream, string file, RejectLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var gazetteer = new PoiGazetteer();
        var lines = new Utf8LineReader(stream);
        var fields = new CsvFields();
        if (CsvHeader.Read(lines, fields, file, log) is not { } header) return gazetteer;
        string? problem;
        int iid = header.IndexOfAny("id", "poi_id"), izh = header.IndexOf("name_zh"), ien = header.IndexOf("name_en"),
            ial = header.IndexOf("aliases"), ilat = header.IndexOfAny("lat", "latitude"), ilon = header.IndexOfAny("lon", "lng", "longitude");
        if (iid < 0 || ilat < 0 || ilon < 0 || (izh < 0 && ien < 0))
        {
            log.FileError(file, $"header has columns [{string.Join(", ", header.Names)}]; expected id, name_zh, name_en, aliases, lat, lon");
            return gazetteer;
        }

        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            log.Report.Rows++;
            var n = lines.LineNumber;
            if (!fields.TrySplit(line, out var data, out problem)) { if (!log.Reject(new(file, n, "line", "malformed-csv", problem!))) break; continue; }
            var id = Encoding.UTF8.GetString(fields.Get(data, iid));
            if (id.Length == 0) { if (!log.Reject(new(file, n, "id", "missing-field", "empty; expected a POI id"))) break; continue; }
            if (gazetteer._byId.ContainsKey(id)) { if (!log.Reject(new(file, n, "id", "duplicate-id", $"'{id}' appears on an earlier line"))) break; continue; }
            if (ilat >= fields.Count || !Numbers.TryParse(data[fields[ilat]], out var lat) || lat is < -90 or > 90)
            { if (!log.Reject(new(file, n, "lat", "bad-number", "expected a latitude in -90..90"))) break; continue; }
            if (ilon >= fields.Count || !Numbers.TryParse(data[fields[ilon]], out var lon) || lon is < -180 or > 180)
            { if (!log.Reject(new(file, n, "lon", "bad-number", "expected a longitude in -180..180"))) break; continue; }
            var aliases = Encoding.UTF8.GetString(fields.Get(data, ial)).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            gazetteer.Add(new Poi(id, Encoding.UTF8.GetString(fields.Get(data, izh)), Encoding.UTF8.GetString(fields.Get(data, ien)), aliases, lat, lon));
            log.Report.Accepted++;
        }

        return gazetteer;
    }

    private static string Normalise(string s) => s.Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();
}
