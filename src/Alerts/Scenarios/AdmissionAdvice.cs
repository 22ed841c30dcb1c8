using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;

namespace CrowdWatch.Alerts.Scenarios;

/// <summary>
/// The admission limits a tool recommends: for each zone a scenario takes to <see cref="Below"/> or above, the most
/// people a minute it may let in and stay below it all through the scenario, found by bisection over full runs (so
/// that queues outside, spill-over and the other zones' limits are part of the answer) and rounded down to a figure
/// stewards can count; then the whole set checked in one more run.
/// </summary>
/// <param name="Below">The level every zone is to stay under.</param>
/// <param name="Limits">The recommended limits (the plan's own limits of other zones are kept).</param>
/// <param name="Unreachable">Zones no admission limit brings below the level (already there at the start, or filled by
/// people walking in from cells outside any gate): they need other measures.</param>
/// <param name="Checked">The scenario run again with the recommended limits.</param>
/// <param name="Runs">Full runs the search took.</param>
public sealed record AdmissionAdvice(RiskLevel Below, IReadOnlyList<AdmissionLimit> Limits, IReadOnlyList<int> Unreachable, ScenarioOutcome Checked, int Runs)
{
    /// <summary>Searches the limits for <paramref name="outcome"/>'s plan.</summary>
    public static AdmissionAdvice Recommend(WalkNetwork network, ScenarioOutcome outcome, RiskLevel below = RiskLevel.Orange, TriggerRules? rules = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(outcome);
        var plan = outcome.Plan;
        var limits = plan.Admissions.ToDictionary(a => a.Zone, a => a.PeoplePerMinute);
        var unreachable = new SortedSet<int>();
        var runs = 0;
        var current = outcome;
        ScenarioOutcome Run(Dictionary<int, double> set)
        {
            runs++;
            return ScenarioRun.Simulate(network, plan with { Admissions = [.. set.OrderBy(kv => kv.Key).Select(kv => new AdmissionLimit(kv.Key, kv.Value))] }, rules);
        }

        // A few rounds: a zone's queue may lift a neighbour, which then needs its own limit.
        for (var round = 0; round < 3; round++)
        {
            var hot = current.Zones.Where(z => z.MaxLevel >= below && !unreachable.Contains(z.Zone)).OrderByDescending(z => z.PeakDensity).ToList();
            if (hot.Count == 0) break;
            foreach (var zone in hot)
            {
                var z = zone.Zone;
                if (zone.Levels[0] >= below) { unreachable.Add(z); continue; }
                bool Holds(double rate)
                {
                    var trial = new Dictionary<int, double>(limits) { [z] = rate };
                    return Run(trial).Zones[z].MaxLevel < below;
                }

                if (!Holds(0)) { unreachable.Add(z); progress?.Report($"{zone.Name}: stays at {below.Colour()} or above even with nobody let in"); continue; }
                // Upper end: everyone the zone ever holds arriving within one minute.
                var (lo, hi) = (0.0, Math.Max(1, zone.PeakPeople));
                if (limits.TryGetValue(z, out var own)) hi = Math.Min(hi, own);
                for (var i = 0; i < 14 && hi - lo > 0.5; i++)
                {
                    var mid = (lo + hi) / 2;
                    if (Holds(mid)) lo = mid;
                    else hi = mid;
                }

                var rate = Round(lo);
                while (rate > 0 && !Holds(rate)) rate = Round(rate * 0.9);
                limits[z] = rate;
                progress?.Report($"{zone.Name}: at most {rate:0} people a minute");
            }

            current = Run(limits);
            if (current.Zones.All(z => z.MaxLevel < below || unreachable.Contains(z.Zone))) break;
        }

        return new AdmissionAdvice(below, [.. limits.OrderBy(kv => kv.Key).Select(kv => new AdmissionLimit(kv.Key, kv.Value))], [.. unreachable], current, runs);
    }

    /// <summary>Rounds down to 2 significant figures' worth of a countable step: 1 below 100 a minute, 5 below 1000, else 10.</summary>
    public static double Round(double rate) => rate < 100 ? Math.Floor(rate) : rate < 1000 ? Math.Floor(rate / 5) * 5 : Math.Floor(rate / 10) * 10;
}
