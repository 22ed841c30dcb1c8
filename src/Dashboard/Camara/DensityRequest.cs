using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrowdWatch.Geo.Geohashes;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>A Population Density Data request, as the definition's <c>PopulationDensityRequest</c> allows it.</summary>
/// <param name="Boundary">The polygon's points (longitude, latitude), or null for a geohash list.</param>
/// <param name="Geohashes">The geohashes asked for, or null for a polygon.</param>
/// <param name="Start">The window's start.</param>
/// <param name="End">The window's end.</param>
/// <param name="Precision">The geohash precision of a polygon's cells (7 unless given).</param>
/// <param name="Sink">Where to deliver the answer asynchronously, or null.</param>
/// <param name="SinkToken">The sink's bearer token (an ACCESSTOKEN credential), or null.</param>
public sealed partial record DensityRequest(IReadOnlyList<(double Lon, double Lat)>? Boundary, IReadOnlyList<string>? Geohashes, DateTimeOffset Start, DateTimeOffset End,
    int Precision, Uri? Sink, string? SinkToken)
{
    /// <summary>The precision of a polygon's cells when the request names none.</summary>
    public const int DefaultPrecision = 7;

    private static readonly string[] RequestKeys = ["area", "startTime", "endTime", "precision", "sink", "sinkCredential"];

    /// <summary>
    /// Reads <paramref name="body"/> strictly (unknown properties at any level are refused, as the definition says);
    /// the error names the field and what was expected.
    /// </summary>
    public static (DensityRequest? Request, CamaraError? Error) Parse(JsonElement body, CamaraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (body.ValueKind != JsonValueKind.Object) return Bad("expected a JSON object");
        if (Unknown(body, RequestKeys) is { } extra) return Bad($"{extra}: not a property of the request");
        if (!body.TryGetProperty("area", out var area) || area.ValueKind != JsonValueKind.Object) return Bad("area: expected an object with areaType");
        if (Time(body, "startTime") is not { } start) return Bad("startTime: expected an RFC 3339 date-time with a time zone");
        if (Time(body, "endTime") is not { } end) return Bad("endTime: expected an RFC 3339 date-time with a time zone");
        if (!area.TryGetProperty("areaType", out var type) || type.ValueKind != JsonValueKind.String) return Bad("area.areaType: expected POLYGON or GEOHASHLIST");
        var hasPrecision = body.TryGetProperty("precision", out var p);
        var precision = DefaultPrecision;
        if (hasPrecision && (p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out precision) || precision is < 1 or > Geohash.MaxPrecision))
            return Bad("precision: expected an integer from 1 to 12");

        IReadOnlyList<(double, double)>? boundary = null;
        IReadOnlyList<string>? hashes = null;
        switch (type.GetString())
        {
            case "POLYGON":
                if (Unknown(area, ["areaType", "boundary"]) is { } e1) return Bad($"area.{e1}: not a property of a POLYGON area");
                if (!area.TryGetProperty("boundary", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() is < 3 or > 15)
                    return Bad("area.boundary: expected 3 to 15 points");
                var points = new List<(double, double)>();
                var i = 0;
                foreach (var point in b.EnumerateArray())
                {
                    if (point.ValueKind != JsonValueKind.Object || Unknown(point, ["latitude", "longitude"]) is not null
                        || !Number(point, "latitude", -90, 90, out var lat) || !Number(point, "longitude", -180, 180, out var lon))
                        return Bad($"area.boundary[{i}]: expected {{latitude -90..90, longitude -180..180}}");
                    points.Add((lon, lat));
                    i++;
                }

                boundary = points;
                break;
            case "GEOHASHLIST":
                if (Unknown(area, ["areaType", "geohashes"]) is { } e2) return Bad($"area.{e2}: not a property of a GEOHASHLIST area");
                if (hasPrecision) return Bad("precision: not allowed with a GEOHASHLIST area (each geohash gives its own)");
                if (!area.TryGetProperty("geohashes", out var g) || g.ValueKind != JsonValueKind.Array || g.GetArrayLength() is < 1 or > 1000)
                    return Bad("area.geohashes: expected 1 to 1000 geohashes");
                var list = new List<string>();
                foreach (var h in g.EnumerateArray())
                {
                    if (h.ValueKind != JsonValueKind.String || !Geohash.IsValid(h.GetString())) return Bad($"area.geohashes[{list.Count}]: expected 1 to 12 characters of 0-9 b-z without a i l o");
                    list.Add(h.GetString()!);
                }

                hashes = list;
                break;
            default:
                return Bad("area.areaType: expected POLYGON or GEOHASHLIST");
        }

        Uri? sink = null;
        string? token = null;
        if (body.TryGetProperty("sink", out var s))
        {
            if (s.ValueKind != JsonValueKind.String || s.GetString()!.Length > 2048 || !Uri.TryCreate(s.GetString(), UriKind.Absolute, out sink))
                return Bad("sink: expected an absolute URI of at most 2048 characters");
            var loopback = options.AllowLoopbackHttpSinks && sink.Scheme == Uri.UriSchemeHttp && sink.IsLoopback;
            if (sink.Scheme != Uri.UriSchemeHttps && !loopback) return (null, new CamaraError(400, "INVALID_SINK", "sink: expected an https URI"));
        }

        if (body.TryGetProperty("sinkCredential", out var c))
        {
            if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("credentialType", out var ct) || ct.ValueKind != JsonValueKind.String)
                return Bad("sinkCredential: expected an object with credentialType");
            if (ct.GetString() is not ("ACCESSTOKEN" or "PRIVATE_KEY_JWT")) return Bad("sinkCredential.credentialType: expected ACCESSTOKEN or PRIVATE_KEY_JWT");
            if (ct.GetString() == "PRIVATE_KEY_JWT") return (null, new CamaraError(400, "INVALID_CREDENTIAL", "Only Access token is supported"));
            if (Unknown(c, ["credentialType", "accessToken", "accessTokenExpiresUtc", "accessTokenType"]) is { } e3) return Bad($"sinkCredential.{e3}: not a property of an ACCESSTOKEN credential");
            if (!c.TryGetProperty("accessTokenType", out var tt) || tt.ValueKind != JsonValueKind.String || !string.Equals(tt.GetString(), "bearer", StringComparison.OrdinalIgnoreCase))
                return (null, new CamaraError(400, "INVALID_TOKEN", "Only bearer token is supported"));
            if (!c.TryGetProperty("accessToken", out var at) || at.ValueKind != JsonValueKind.String || at.GetString() is not { Length: > 0 and <= 4096 } value)
                return Bad("sinkCredential.accessToken: expected a token of 1 to 4096 characters");
            if (Time(c, "accessTokenExpiresUtc") is null) return Bad("sinkCredential.accessTokenExpiresUtc: expected an RFC 3339 date-time with a time zone");
            token = value;
        }

        return (new DensityRequest(boundary, hashes, start, end, precision, sink, token), null);
    }

    private static (DensityRequest?, CamaraError?) Bad(string message) => (null, CamaraError.InvalidArgument(message));

    private static string? Unknown(JsonElement o, string[] known) => o.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n, StringComparer.Ordinal));

    private static bool Number(JsonElement o, string name, double min, double max, out double value)
    {
        value = 0;
        return o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value) && value >= min && value <= max;
    }

    /// <summary>Whether <paramref name="text"/> is an RFC 3339 date-time with a time zone (Z or an offset).</summary>
    public static bool IsRfc3339(string text) => Rfc3339().IsMatch(text);

    private static DateTimeOffset? Time(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: <= 64 } text && Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && Geo.Ingest.Timestamps.InRange(t.ToUnixTimeMilliseconds()) ? t : null;

    // RFC 3339 date-time: a time zone is required (Z or an offset).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
