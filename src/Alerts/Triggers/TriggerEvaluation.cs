using System.Globalization;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Alerts.Triggers;

/// <summary>Judges a place in a slot: pure, so that replays and tests give what the live service gives.</summary>
public static class TriggerEvaluation
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>Every trigger that fires for <paramref name="slot"/> under <paramref name="rules"/>, and the peak ahead.</summary>
    /// <param name="slot">What is known of the place.</param>
    /// <param name="rules">When triggers fire.</param>
    /// <param name="clearMargin">Share by which thresholds are lowered for <see cref="Assessment.Held"/> (hysteresis).</param>
    public static Assessment Evaluate(PlaceSlot slot, TriggerRules rules, double clearMargin = 0.1)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(rules);
        var t = slot.Thresholds;
        var density = slot.Density;
        var use = slot.CapacityUse;
        var slotEnd = slot.SlotMs + ((long)slot.SlotMinutes * 60_000);
        var triggers = new List<Trigger>(4);

        var observed = t.LevelOf(density, use);
        if (observed > RiskLevel.None)
            triggers.Add(new Trigger(TriggerKind.Observed, observed, Certainty.Observed, 1, slot.SlotMs,
                string.Create(Ci, $"{density:0.00} persons/m²{Use(use)} now{(slot.DensityFlagged ? $" (the data say {slot.RawDensity:0.00}/m², more than a crowd can hold: check the feed)" : "")}: {Crossed(t, observed, density, use)}")));

        // The engine's forecast and the searches' each may fire; the higher level (then the likelier) speaks.
        var forecast = slot.Outlook is { } outlook ? Forecast(slot, outlook, rules, observed) : null;
        if (slot.SearchOutlook is { } led && Forecast(slot, led, rules, observed) is { } s
            && (forecast is null || s.Level > forecast.Level || (s.Level == forecast.Level && s.Probability > forecast.Probability))) forecast = s;
        if (forecast is not null) triggers.Add(forecast);

        var trend = Trend(slot, rules.SurgeSlots);
        if (trend >= rules.SurgeDensityPerMinute)
        {
            var ahead = density + (trend * rules.SurgeLookaheadMinutes);
            var useAhead = use is { } u && slot.Capacity is > 0 ? u + (trend * rules.SurgeLookaheadMinutes * slot.WalkableM2 / slot.Capacity.Value) : (double?)null;
            var level = t.LevelOf(ahead, useAhead);
            if (level > observed)
                triggers.Add(new Trigger(TriggerKind.Surge, level, Certainty.Likely, 1, slotEnd + ((long)rules.SurgeLookaheadMinutes * 60_000),
                    string.Create(Ci, $"density rising {trend * 60:0.00} persons/m² per hour from {density:0.00}{Use(use)}: {Math.Min(ahead, CrowdDensity.PhysicalMaximum):0.00} in {rules.SurgeLookaheadMinutes} min at this pace, {Crossed(t, level, ahead, useAhead)}")));
        }

        if (SearchScore(slot.Search, slot.SearchSameSlot, rules.SearchBaselineDays) is var (score, usual)
            && score >= rules.SearchAnomalyScore && slot.Search >= rules.SearchAnomalyRatio * usual && slot.Search >= rules.SearchAnomalyMinimum
            && rules.SearchAnomalyLevel > observed)
            triggers.Add(new Trigger(TriggerKind.SearchAnomaly, rules.SearchAnomalyLevel, Certainty.Possible, double.NaN, slotEnd,
                string.Create(Ci, $"map searches {slot.Search:0} against a usual {usual:0.#} for this time ({score:0.0} robust sd above)")));

        // Highest level first; at a level, what is seen leads what is expected.
        triggers.Sort((a, b) => a.Level != b.Level ? b.Level.CompareTo(a.Level) : a.Kind.CompareTo(b.Kind));
        var held = t.LevelOf(density, use, clearMargin);
        foreach (var tr in triggers) if (tr.Kind != TriggerKind.Observed && tr.Level > held) held = tr.Level;
        return new Assessment(slot, observed, triggers, held, trend, PeakOf(slot));
    }

    /// <summary>
    /// The forecast trigger: the highest level (from <see cref="TriggerRules.LowestForecastLevel"/>) above the observed
    /// one whose probability within the horizon reaches <see cref="TriggerRules.PossibleProbability"/>. The probability
    /// within the horizon is taken as the largest per-slot probability: a lower bound of the union, never an overstatement.
    /// </summary>
    private static Trigger? Forecast(PlaceSlot slot, Outlook outlook, TriggerRules rules, RiskLevel observed)
    {
        for (var level = RiskLevel.Red; level >= rules.LowestForecastLevel && level > observed; level--)
        {
            var k = (int)level - 1;
            var (p, at) = (0.0, -1);
            for (var h = 0; h < outlook.Horizons; h++)
            {
                var e = outlook.Exceedance[h];
                if (k < e.Length && e[k] > p) (p, at) = (e[k], h);
            }

            if (at < 0 || !(p >= rules.PossibleProbability)) continue;
            var certainty = p >= rules.LikelyProbability ? Certainty.Likely : Certainty.Possible;
            var people = slot.Thresholds.PeopleAt(level, slot.WalkableM2, slot.Capacity);
            var by = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(outlook.At(at)), slot.TimeZone ?? TimeZoneInfo.Utc);
            var source = double.IsNaN(outlook.SearchRatio) ? "forecast" : string.Create(Ci, $"map searches at {outlook.SearchRatio:0.0}x their usual point to");
            return new Trigger(TriggerKind.Forecast, level, certainty, p, outlook.At(at),
                string.Create(Ci, $"{p * 100:0}% chance of {level.Colour()} by {by:HH:mm}{(slot.TimeZone is null ? " UTC" : "")} ({Threshold(slot.Thresholds, level, slot.Capacity.HasValue)}, {people:0} people; now {slot.Density:0.00} persons/m²{Use(slot.CapacityUse)}); {source} {outlook.Mean[at]:0} ({outlook.Coverage * 100:0}%: {outlook.Low[at]:0}-{outlook.High[at]:0})"));
        }

        return null;
    }

    /// <summary>Density change per minute over the last <see cref="TriggerRules.SurgeSlots"/> slots (0 without a past).</summary>
    private static double Trend(PlaceSlot slot, int slots)
    {
        var before = slot.PeopleBefore;
        if (before.Length == 0 || !(slot.WalkableM2 > 0)) return 0;
        var back = Math.Min(slots, before.Length);
        var then = before[^back];
        if (double.IsNaN(then) || double.IsNaN(slot.People)) return 0;
        return (slot.People - then) / slot.WalkableM2 / (back * slot.SlotMinutes);
    }

    /// <summary>
    /// How far the searches stand above their usual for the slot of day: (x − median) / (1.4826 MAD), with the MAD
    /// floored at the Poisson noise of the median so that a flat history does not make every wobble an anomaly.
    /// </summary>
    public static (double Score, double Usual)? SearchScore(double search, double[] sameSlot, int days)
    {
        if (double.IsNaN(search) || sameSlot.Length < 2) return null;
        var recent = sameSlot.Length > days ? sameSlot[^days..] : sameSlot;
        var values = recent.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length < 2) return null;
        var median = Median.Of(values);
        var mad = Median.Of([.. values.Select(v => Math.Abs(v - median))]);
        var spread = Math.Max(1.4826 * mad, Math.Sqrt(Math.Max(1, median)));
        return ((search - median) / spread, median);
    }

    // The highest forecast mean in a slot after this one, with its interval: the engine's forecast, else the searches'.
    // Without a forecast there is no peak ahead to speak of (never the current slot dressed as one).
    private static Peak PeakOf(PlaceSlot slot)
    {
        if (!(slot.WalkableM2 > 0) || (slot.Outlook ?? slot.SearchOutlook) is not { } o) return Peak.None;
        var a = slot.WalkableM2;
        var best = Peak.None;
        for (var h = 0; h < o.Horizons; h++)
        {
            if (o.At(h) <= slot.SlotMs || double.IsNaN(o.Mean[h])) continue;
            var d = CrowdDensity.Capped(o.Mean[h] / a);
            if (!best.Known || d > best.Density) best = new Peak(d, o.At(h), CrowdDensity.Capped(o.Low[h] / a), CrowdDensity.Capped(o.High[h] / a));
        }

        return best;
    }

    // Which threshold of the level was crossed, and by how much: density, capacity use or both.
    private static string Crossed(LevelThresholds t, RiskLevel level, double density, double? use)
    {
        var d = t.DensityOf(level);
        var parts = new List<string>(2);
        if (density >= d) parts.Add(string.Create(Ci, $"above {level.Colour()}'s {d:0.00} persons/m² by {density - d:0.00} ({(density / d) - 1:+0%})"));
        if (use is { } u && u >= t.UseOf(level)) parts.Add(string.Create(Ci, $"above {level.Colour()}'s {t.UseOf(level) * 100:0}% of capacity by {(u - t.UseOf(level)) * 100:0} points"));
        return parts.Count == 0 ? string.Create(Ci, $"{level.Colour()} begins at {Threshold(t, level, use.HasValue)}") : string.Join(" and ", parts);
    }

    private static string Threshold(LevelThresholds t, RiskLevel level, bool capacity) =>
        capacity ? string.Create(Ci, $"{t.DensityOf(level):0.00} persons/m² or {t.UseOf(level) * 100:0}% of capacity") : string.Create(Ci, $"{t.DensityOf(level):0.00} persons/m²");

    private static string Use(double? use) => use is { } u ? string.Create(Ci, $", {u * 100:0}% of capacity") : "";
}
