using System.Diagnostics;
using System.Globalization;
using CrowdWatch.Forecast.Models.Trees;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Calendar;

namespace CrowdWatch.Benchmarks;

/// <summary>
/// One tree-model fit (one horizon group: 120 000 rows) on a quiet machine and with other processes spinning on
/// every core, for LightGBM and FastTree, interleaved. A learner that waits on its own spinning threads slows down
/// many times over when the cores are busy; one that runs on the threads it was given slows by about the share of
/// the cores it loses.
/// </summary>
internal static class FitUnderLoad
{
    public static void Run(int cells, int rounds)
    {
        var panel = SyntheticPanel.Create(cells, days: 28);
        var calendar = new SlotCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), HolidayCalendar.Empty);
        var busy = Environment.ProcessorCount;
        var times = new Dictionary<string, List<double>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var loaded in new[] { false, true })
            {
                var spinners = loaded ? Enumerable.Range(0, busy).Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]))!).ToList() : [];
                try
                {
                    foreach (var learner in new[] { TreeLearner.LightGbm, TreeLearner.FastTree })
                    {
                        var model = new GradientBoostedTrees(new TreeModelOptions { Learner = learner, Horizons = 1 });
                        var sw = Stopwatch.StartNew();
                        model.Fit(panel, calendar);
                        var key = $"{learner}, {(loaded ? $"{busy} busy processes" : "quiet")}";
                        (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(sw.Elapsed.TotalSeconds);
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {key}: {sw.Elapsed.TotalSeconds:0.00} s"));
                    }
                }
                finally
                {
                    foreach (var p in spinners)
                    {
                        p.Kill();
                        p.Dispose();
                    }
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one fit of {cells} cells x 28 days (horizon 1, 120 000 rows), {Environment.ProcessorCount} cores, {rounds} rounds:"));
        foreach (var (key, list) in times)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key}: min {list.Min():0.00} s, median {list.Order().ElementAt(list.Count / 2):0.00} s, max {list.Max():0.00} s"));
    }
}
