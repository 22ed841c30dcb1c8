using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// A city of <c>side</c> x <c>side</c> cells with eight weeks of 15-minute counts: each cell a level of its own, a
/// daily profile with morning and evening peaks, busier weekends in some cells, count noise, and search heat that
/// leads the crowd by an hour. Each cell's neighbours are the cells around it.
/// </summary>
internal static class SyntheticPanel
{
    public static SlotPanel Create(int cells, int days = 56, int seed = 1)
    {
        const int perDay = 96;
        var side = (int)Math.Ceiling(Math.Sqrt(cells));
        var slots = days * perDay;
        var random = new Random(seed);
        var start = new DateTimeOffset(2025, 8, 18, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var values = new double[cells][];
        var search = new double[cells][];
        var neighbours = new int[cells][];
        for (var c = 0; c < cells; c++)
        {
            var level = Math.Exp(random.NextDouble() * 5); // 1 .. 150 people
            var weekend = 0.6 + random.NextDouble();
            var evening = random.NextDouble();
            var v = values[c] = new double[slots];
            var q = search[c] = new double[slots];
            for (var t = 0; t < slots; t++)
            {
                var hour = (t % perDay) / 4.0;
                var day = t / perDay % 7;
                var profile = 0.2 + Math.Exp(-Math.Pow(hour - 8.5, 2) / 2) + (evening * 2 * Math.Exp(-Math.Pow(hour - 20, 2) / 4));
                var mean = level * profile * (day >= 5 ? weekend : 1);
                v[t] = Math.Max(0, Math.Round(mean + (Math.Sqrt(mean) * Gaussian(random))));
                if (t >= 4) q[t - 4] = Math.Max(0, Math.Round(0.05 * mean));
            }

            var (r, k) = (c / side, c % side);
            var near = new List<int>();
            for (var dr = -1; dr <= 1; dr++)
                for (var dc = -1; dc <= 1; dc++)
                    if ((dr, dc) != (0, 0) && r + dr >= 0 && k + dc >= 0 && k + dc < side && ((r + dr) * side) + k + dc < cells) near.Add(((r + dr) * side) + k + dc);
            neighbours[c] = [.. near];
        }

        return new SlotPanel([.. Enumerable.Range(0, cells).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], start, 15, values, search, neighbours);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
