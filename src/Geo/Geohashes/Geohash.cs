namespace CrowdWatch.Geo.Geohashes;

/// <summary>
/// Geohash cells: a base-32 string whose characters halve longitude and latitude in turn (five bits a character,
/// longitude first), so a hash of <c>p</c> characters is a WGS84 rectangle of 360 / 2^ceil(5p/2) degrees of longitude
/// by 180 / 2^floor(5p/2) of latitude (precision 7: about 153 m x 153 m at the equator, 133 m x 153 m in Chongqing).
/// </summary>
public static class Geohash
{
    /// <summary>The geohash alphabet (no a, i, l, o).</summary>
    public const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    /// <summary>Longest geohash served.</summary>
    public const int MaxPrecision = 12;

    /// <summary>Whether <paramref name="hash"/> is 1 to 12 characters of the alphabet.</summary>
    public static bool IsValid(string? hash) => hash is { Length: >= 1 and <= MaxPrecision } && hash.All(ch => Alphabet.Contains(ch, StringComparison.Ordinal));

    /// <summary>The hash of <paramref name="precision"/> characters of the cell holding (<paramref name="lon"/>, <paramref name="lat"/>).</summary>
    public static string Encode(double lon, double lat, int precision)
    {
        if (precision is < 1 or > MaxPrecision) throw new ArgumentOutOfRangeException(nameof(precision), precision, "expected 1 to 12");
        if (!(lat is >= -90 and <= 90) || !(lon is >= -180 and <= 180)) throw new ArgumentOutOfRangeException(nameof(lat), "expected WGS84 longitude and latitude");
        var (lonMin, lonMax, latMin, latMax) = (-180.0, 180.0, -90.0, 90.0);
        var chars = new char[precision];
        var even = true;
        for (var i = 0; i < precision; i++)
        {
            var value = 0;
            for (var bit = 4; bit >= 0; bit--, even = !even)
            {
                if (even)
                {
                    var mid = (lonMin + lonMax) / 2;
                    if (lon >= mid) { value |= 1 << bit; lonMin = mid; }
                    else lonMax = mid;
                }
                else
                {
                    var mid = (latMin + latMax) / 2;
                    if (lat >= mid) { value |= 1 << bit; latMin = mid; }
                    else latMax = mid;
                }
            }

            chars[i] = Alphabet[value];
        }

        return new string(chars);
    }

    /// <summary>The WGS84 rectangle of <paramref name="hash"/>.</summary>
    public static GeohashBounds Bounds(string hash)
    {
        if (!IsValid(hash)) throw new ArgumentException($"'{hash}' is not a geohash", nameof(hash));
        var (lonMin, lonMax, latMin, latMax) = (-180.0, 180.0, -90.0, 90.0);
        var even = true;
        foreach (var ch in hash)
        {
            var value = Alphabet.IndexOf(ch, StringComparison.Ordinal);
            for (var bit = 4; bit >= 0; bit--, even = !even)
            {
                var on = (value >> bit & 1) == 1;
                if (even)
                {
                    var mid = (lonMin + lonMax) / 2;
                    if (on) lonMin = mid;
                    else lonMax = mid;
                }
                else
                {
                    var mid = (latMin + latMax) / 2;
                    if (on) latMin = mid;
                    else latMax = mid;
                }
            }
        }

        return new GeohashBounds(lonMin, latMin, lonMax, latMax);
    }

    /// <summary>The size in degrees (longitude, latitude) of every cell of <paramref name="precision"/> characters.</summary>
    public static (double Lon, double Lat) CellDegrees(int precision)
    {
        if (precision is < 1 or > MaxPrecision) throw new ArgumentOutOfRangeException(nameof(precision), precision, "expected 1 to 12");
        var bits = 5 * precision;
        return (360.0 / Math.Pow(2, (bits + 1) / 2), 180.0 / Math.Pow(2, bits / 2));
    }
}
