using System.Globalization;
using System.Text;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// Deterministic pings over the sample grid shaped like real ones: devices clustered around a dozen busy places with
/// 10-30 m GPS noise and slow drift, pinging every 1 to 15 minutes, interleaved in time order.
/// </summary>
public sealed class SyntheticPings
{
    private static readonly (double Lon, double Lat)[] Hotspots =
    [
        (106.5772, 29.5575), (106.5790, 29.5630), (106.5880, 29.5660), (106.5855, 29.5650), (106.5860, 29.5540),
        (106.5760, 29.5535), (106.5820, 29.5655), (106.5490, 29.5622), (106.5393, 29.5527), (106.4500, 29.5790),
        (106.5650, 29.5580), (106.5200, 29.5600),
    ];

    public SyntheticPings(int count, int devices, int seed = 20261001)
    {
        Lon = new double[count];
        Lat = new double[count];
        UnixMs = new long[count];
        Device = new int[count];
        var random = new Random(seed);
        var homeLon = new double[devices];
        var homeLat = new double[devices];
        var next = new PriorityQueue<int, long>(devices);
        var start = DateTimeOffset.Parse("2026-10-01T18:00:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        for (var d = 0; d < devices; d++)
        {
            if (random.NextDouble() < 0.7)
            {
                var (lon, lat) = Hotspots[random.Next(Hotspots.Length)];
                homeLon[d] = lon + (Gaussian(random) * 0.0015);
                homeLat[d] = lat + (Gaussian(random) * 0.0013);
            }
            else
            {
                homeLon[d] = 106.44 + (random.NextDouble() * 0.155);
                homeLat[d] = 29.54 + (random.NextDouble() * 0.055);
            }

            next.Enqueue(d, start + random.Next(0, 15 * 60_000));
        }

        for (var i = 0; i < count; i++)
        {
            next.TryDequeue(out var d, out var t);
            // Slow drift (walking) plus 10-30 m of GPS noise; 1e-5 degrees is about a metre.
            homeLon[d] += Gaussian(random) * 0.0002;
            homeLat[d] += Gaussian(random) * 0.0002;
            var noise = (10 + (random.NextDouble() * 20)) * 1e-5;
            Lon[i] = homeLon[d] + (Gaussian(random) * noise);
            Lat[i] = homeLat[d] + (Gaussian(random) * noise);
            UnixMs[i] = t;
            Device[i] = d;
            next.Enqueue(d, t + random.Next(60_000, 15 * 60_000));
        }
    }

    public double[] Lon { get; }

    public double[] Lat { get; }

    public long[] UnixMs { get; }

    public int[] Device { get; }

    /// <summary>Writes the pings as CSV with ISO 8601 timestamps (+08:00) and 32-hex-digit device ids.</summary>
    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("timestamp,device_id,lat,lon,accuracy_m\n");
        var ci = CultureInfo.InvariantCulture;
        var offset = TimeSpan.FromHours(8);
        for (var i = 0; i < Lon.Length; i++)
        {
            var ts = DateTimeOffset.FromUnixTimeMilliseconds(UnixMs[i]).ToOffset(offset);
            writer.Write(ts.ToString("yyyy-MM-dd'T'HH:mm:ssK", ci));
            writer.Write(',');
            writer.Write(((ulong)Device[i] * 0x9E3779B97F4A7C15UL).ToString("x16", ci));
            writer.Write(((ulong)(Device[i] + 17) * 0xC2B2AE3D27D4EB4FUL).ToString("x16", ci));
            writer.Write(',');
            writer.Write(Lat[i].ToString("F7", ci));
            writer.Write(',');
            writer.Write(Lon[i].ToString("F7", ci));
            writer.Write(',');
            writer.Write((10 + (i % 20)).ToString(ci));
            writer.Write('\n');
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
