using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Alerts.Triggers;

/// <summary>
/// Judges every zone of an area in one slot: from the zones' panel (people, and map searches where it has them), each
/// zone's forecast outlook and the searches' lead, the assessments the alert book steps on. The live service and the
/// replay both judge through it, so that what a replay shows is what the live service would have sent.
/// </summary>
public sealed class ZoneJudge
{
    private readonly TriggerRules _rules;
    private readonly double _clearMargin;

    /// <summary>Prepares the judge of <paramref name="area"/>'s zones: their places, walkable areas, thresholds and the people at each level.</summary>
    public ZoneJudge(Area area, TriggerRules rules, double clearMargin)
    {
        Area = area ?? throw new ArgumentNullException(nameof(area));
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _clearMargin = clearMargin;
        var zones = area.Zones.Zones;
        Places = ZonePlaces.Of(area);
        Walkable = [.. Enumerable.Range(0, zones.Count).Select(z => area.Zones.ZoneWalkableM2(z, area.WalkableM2))];
        Thresholds = [.. zones.Select(z => LevelThresholds.For(z.Thresholds))];
        Levels = [.. Enumerable.Range(0, zones.Count).Select(z => LevelThresholds.ZoneCounts(area, z))];
    }

    /// <summary>The area judged.</summary>
    public Area Area { get; }

    /// <summary>Each zone as a place to warn about, in the zone layer's order.</summary>
    public IReadOnlyList<Place> Places { get; }

    /// <summary>Each zone's walkable m².</summary>
    public IReadOnlyList<double> Walkable { get; }

    /// <summary>Each zone's level thresholds (its own where it has them).</summary>
    public IReadOnlyList<LevelThresholds> Thresholds { get; }

    /// <summary>Per zone, the people at which each level begins (what forecasts give exceedance probabilities for).</summary>
    public IReadOnlyList<double[]> Levels { get; }

    /// <summary>
    /// Assesses every zone in slot <paramref name="t"/> of <paramref name="zones"/> (one series per zone, in the layer's
    /// order; nothing after <paramref name="t"/> is read). <paramref name="outlook"/> gives a zone's forecast from the
    /// next slot (null where none); <paramref name="lead"/>, where fitted, forecasts from the panel's searches.
    /// </summary>
    public Assessment[] Judge(SlotPanel zones, int t, Func<int, Outlook?> outlook, SearchLead? lead)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(outlook);
        if (zones.Count != Places.Count) throw new ArgumentException($"the panel has {zones.Count} series for {Places.Count} zones", nameof(zones));
        var layer = Area.Zones.Zones;
        var perDay = zones.SlotsPerDay;
        var next = zones.SlotStart(t + 1);
        var upTo = lead is not null && zones.HasSearch ? (t + 1 == zones.Length ? zones : zones.Take(t + 1)) : null;
        var assessments = new Assessment[zones.Count];
        for (var z = 0; z < zones.Count; z++)
        {
            var values = zones.Values(z);
            var before = values[Math.Max(0, t - _rules.SurgeSlots)..t].ToArray();
            var search = double.NaN;
            double[] sameSlot = [];
            Outlook? led = null;
            if (zones.HasSearch)
            {
                var q = zones.Search(z);
                search = q[t];
                // The same slot of day on the days before, oldest first.
                var days = Math.Min(_rules.SearchBaselineDays, t / perDay);
                sameSlot = new double[days];
                for (var d = 1; d <= days; d++) sameSlot[^d] = q[t - (d * perDay)];
                if (upTo is not null && lead!.Forecast(upTo, z, Levels[z]) is { } f) led = Outlook.FromSearchLead(f, next, zones.SlotMinutes);
            }

            var slot = new PlaceSlot(Places[z], zones.SlotStart(t), zones.SlotMinutes, values[t], before, Walkable[z], layer[z].Capacity, Thresholds[z],
                search, sameSlot, outlook(z), led, Area.TimeZone, Area.K);
            assessments[z] = TriggerEvaluation.Evaluate(slot, _rules, _clearMargin);
        }

        return assessments;
    }
}
