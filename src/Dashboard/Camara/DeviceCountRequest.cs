using System.Globalization;
using System.Text.Json;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>A Region Device Count request: a circle (centre and radius in metres) or a polygon, and an optional window.</summary>
/// <param name="Centre">The circle's centre (longitude, latitude), or null for a polygon.</param>
/// <param name="RadiusM">The circle's radius in metres.</param>
/// <param name="Boundary">The polygon's points (longitude, latitude), or null for a circle.</param>
/// <param name="Start">The window's start, or null for now.</param>
/// <param name="End">The window's end, or null for now.</param>
public sealed record DeviceCountRequest((double Lon, double Lat)? Centre, double RadiusM, IReadOnlyList<(double Lon, double Lat)>? Boundary, DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>Reads <paramref name="body"/> as the definition's <c>RegionDeviceCountRequestBody</c>; the error names the field and what was expected.</summary>
    public static (DeviceCountRequest? Request, CamaraError? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return Bad("INVALID_ARGUMENT", "expected a JSON object");
        if (!body.TryGetProperty("area", out var area) || area.ValueKind != JsonValueKind.Object) return Bad("INVALID_ARGUMENT", "area: expected an object with areaType");
        var (start, startError) = Time(body, "starttime");
        var (end, endError) = Time(body, "endtime");
        if ((startError ?? endError) is { } timeError) return Bad("INVALID_ARGUMENT", timeError);
        if (start.HasValue != end.HasValue) return Bad("REGION_DEVICE_COUNT.TIME_INVALID_ARGUMENT", "starttime and endtime cannot be passed separately. Either both are passed or neither is passed.");
        if (end < start) return Bad("REGION_DEVICE_COUNT.INVALID_END_DATE", "Indicated endtime is earlier than the starttime.");
        if (!area.TryGetProperty("areaType", out var type) || type.ValueKind != JsonValueKind.String) return Bad("INVALID_ARGUMENT", "area.areaType: expected CIRCLE or POLYGON");
        switch (type.GetString())
        {
            case "CIRCLE":
                if (!area.TryGetProperty("center", out var c) || c.ValueKind != JsonValueKind.Object || !area.TryGetProperty("radius", out var r))
                    return Bad("REGION_DEVICE_COUNT.INVALID_CIRCLE_AREA", "Missing circle center or radius.");
                if (!Number(c, "latitude", -90, 90, out var lat) || !Number(c, "longitude", -180, 180, out var lon))
                    return Bad("REGION_DEVICE_COUNT.INVALID_CIRCLE_AREA", "area.center: expected {latitude -90..90, longitude -180..180}");
                if (r.ValueKind != JsonValueKind.Number || !r.TryGetDouble(out var radius) || radius < 1 || radius > 100_000)
                    return Bad("REGION_DEVICE_COUNT.INVALID_CIRCLE_AREA", "area.radius: expected metres from 1 to 100 000");
                return (new DeviceCountRequest((lon, lat), radius, null, start, end), null);
            case "POLYGON":
                if (!area.TryGetProperty("boundary", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() is < 3 or > 15)
                    return Bad("REGION_DEVICE_COUNT.INVALID_POLYGON_AREA", "The area is not a polygon shape or has an arbitrary complexity: expected 3 to 15 points.");
                var points = new List<(double, double)>();
                foreach (var p in b.EnumerateArray())
                {
                    if (p.ValueKind != JsonValueKind.Object || !Number(p, "latitude", -90, 90, out var plat) || !Number(p, "longitude", -180, 180, out var plon))
                        return Bad("INVALID_ARGUMENT", $"area.boundary[{points.Count}]: expected {{latitude -90..90, longitude -180..180}}");
                    points.Add((plon, plat));
                }

                return (new DeviceCountRequest(null, 0, points, start, end), null);
            default:
                return Bad("INVALID_ARGUMENT", "area.areaType: expected CIRCLE or POLYGON");
        }
    }

    private static (DeviceCountRequest?, CamaraError?) Bad(string code, string message) => (null, new CamaraError(400, code, message));

    private static bool Number(JsonElement o, string name, double min, double max, out double value)
    {
        value = 0;
        return o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value) && value >= min && value <= max;
    }

    // Absent or null: none; otherwise an RFC 3339 date-time with a time zone.
    private static (DateTimeOffset? Time, string? Error) Time(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return (null, null);
        return v.ValueKind == JsonValueKind.String && v.GetString() is { Length: <= 64 } text && DensityRequest.IsRfc3339(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && Geo.Ingest.Timestamps.InRange(t.ToUnixTimeMilliseconds())
            ? (t, null) : (null, $"{name}: expected an RFC 3339 date-time with a time zone");
    }
}
