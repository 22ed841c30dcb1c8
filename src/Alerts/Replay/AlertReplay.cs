using System.Globalization;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Forecast.Engine;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using CrowdWatch.Geo.Areas;

namespace CrowdWatch.Alerts.Replay;

/// <summary>
/// Runs the whole warning chain over a past period slot by slot, as the live service would have: the zone forecast
/// engine fitted on everything before the period, then per slot the observed people, the forecast from that slot
/// with its level probabilities, surge and search-heat checks, and the alert lifecycle. Nothing after a slot is
/// used at that slot.
/// </summary>
public static class AlertReplay
{
    /// <summary>Replays slots [<paramref name="fromSlot"/>, <paramref name="toSlot"/>) of <paramref name="panels"/>.</summary>
    public static ReplayResult Run(Area area, AreaPanels panels, SlotCalendar calendar, int fromSlot, int toSlot, string model, int horizons,
        TriggerRules rules, AlertPolicy policy, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(panels);
        var zones = panels.Zones;
        if (zones.Count == 0) throw new InvalidDataException($"area '{area.Name}' has no zones to warn about");
        if (fromSlot < 2 * zones.SlotsPerDay + 7 * zones.SlotsPerDay) throw new InvalidDataException($"the replay starts {fromSlot / zones.SlotsPerDay} days into the history: at least 9 days are needed before it to fit and calibrate the forecasts");
        toSlot = Math.Min(toSlot, zones.Length);
        var judge = new ZoneJudge(area, rules, policy.ClearMargin);
        var search = ZoneSearch(area, panels);

        var engine = new ForecastEngine(ModelCatalog.Create(model, horizons, progress), new ForecastEngineOptions { Horizons = horizons });
        engine.Fit(zones.Take(fromSlot), calendar, progress);
        // The searches' lead, fitted on the same history: zones with their map searches.
        SlotPanel? searched = null;
        SearchLead? lead = null;
        if (search is not null)
        {
            searched = new SlotPanel(zones.Keys, zones.StartMs, zones.SlotMinutes, [.. Enumerable.Range(0, zones.Count).Select(z => zones.Values(z).ToArray())], search);
            lead = new SearchLead();
            lead.Fit(searched.Take(fromSlot));
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search lead: beta {lead.Beta:0.00}, alpha {lead.Alpha:0.00}, sigma {lead.Sigma:0.00} on {lead.Pairs} pairs"));
        }
        progress?.Report($"replaying {toSlot - fromSlot} slots");

        var book = new AlertBook(area.Name, policy);
        var entries = new List<ReplayEntry>();
        var slotMs = new long[toSlot - fromSlot];
        var firstForecast = new (long AtMs, Trigger Trigger)?[zones.Count];
        var firstForecastOrange = new (long AtMs, Trigger Trigger)?[zones.Count];
        (long SlotMs, IReadOnlyList<RiskPoint> Points)? worst = null;
        var people = Enumerable.Range(0, zones.Count).Select(_ => new double[toSlot - fromSlot]).ToArray();
        for (var t = fromSlot; t < toSlot; t++)
        {
            var history = zones.Take(t + 1);
            var f = engine.Forecast(history, calendar, panels.ZoneLevels);
            var now = zones.SlotStart(t + 1);
            var outlooks = Enumerable.Range(0, zones.Count).Select(z => new Outlook(now, zones.SlotMinutes, f.Mean[z], f.Low90[z], f.High90[z], f.Exceedance[z])).ToArray();
            var assessments = judge.Judge(searched ?? zones, t, z => outlooks[z], lead);
            for (var z = 0; z < zones.Count; z++)
            {
                // The forecast trigger counts even where a surge or the observed level leads the alert.
                if (assessments[z].Triggers.FirstOrDefault(x => x.Kind == TriggerKind.Forecast) is { } ft)
                {
                    firstForecast[z] ??= (now, ft);
                    if (ft.Level >= RiskLevel.Orange) firstForecastOrange[z] ??= (now, ft);
                }

                people[z][t - fromSlot] = zones.Values(z)[t];
            }

            slotMs[t - fromSlot] = zones.SlotStart(t);
            var cellPeople = panels.Cells;
            var points = CellRiskPoints.Of(area, Enumerable.Range(0, cellPeople.Count).Select(i => (int.Parse(cellPeople.Keys[i], CultureInfo.InvariantCulture), cellPeople.Values(i)[t])),
                zones.SlotStart(t), assessments);
            if (points.Count > 0 && (worst is null || points[0].Score > worst.Value.Points[0].Score)) worst = (zones.SlotStart(t), points);
            foreach (var c in book.Assess(assessments, now)) entries.Add(new ReplayEntry(zones.SlotStart(t), c));
            foreach (var c in book.Tick(now)) entries.Add(new ReplayEntry(zones.SlotStart(t), c));
        }

        var leads = LeadTimes(judge, zones, fromSlot, toSlot, entries, firstForecast, firstForecastOrange);
        return new ReplayResult(entries, leads, slotMs, people, panels.ZoneLevels, worst?.SlotMs, worst?.Points ?? []);
    }

    // Per zone: its peak level over the period, when it first reached Orange, and when it was first warned of (any
    // trigger, and the forecast's first warning, of any level and of Orange or above).
    private static List<ZoneLeadTime> LeadTimes(ZoneJudge judge, SlotPanel zones, int fromSlot, int toSlot, List<ReplayEntry> entries,
        (long AtMs, Trigger Trigger)?[] firstForecast, (long AtMs, Trigger Trigger)?[] firstForecastOrange)
    {
        var layer = judge.Area.Zones;
        var leads = new List<ZoneLeadTime>();
        for (var z = 0; z < zones.Count; z++)
        {
            var id = judge.Places[z].Id;
            var mine = entries.Where(e => e.Change.Alert.Place.Id == id).ToList();
            var peak = RiskLevel.None;
            long? orange = null;
            for (var t = fromSlot; t < toSlot; t++)
            {
                var v = zones.Values(z)[t];
                var walkable = judge.Walkable[z];
                var level = judge.Thresholds[z].LevelOf(walkable > 0 ? v / walkable : 0, layer.Zones[z].Capacity is > 0 ? v / layer.Zones[z].Capacity!.Value : null);
                if (level > peak) peak = level;
                if (orange is null && level >= RiskLevel.Orange) orange = zones.SlotStart(t + 1);
            }

            var raised = mine.FirstOrDefault(e => e.Change.Kind == AlertChangeKind.Raised)?.Change;
            leads.Add(new ZoneLeadTime(zones.Keys[z], peak, raised?.AtMs, raised?.Alert.Trigger, firstForecast[z]?.AtMs, firstForecast[z]?.Trigger,
                firstForecastOrange[z]?.AtMs, firstForecastOrange[z]?.Trigger, orange));
        }

        return leads;
    }

    // Per zone and slot, the map searches for places within it (the cells' search heat, shared out as people are).
    private static double[][]? ZoneSearch(Area area, AreaPanels panels)
    {
        var cells = panels.Cells;
        if (!cells.HasSearch) return null;
        var ids = cells.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToArray();
        var result = Enumerable.Range(0, area.Zones.Zones.Count).Select(_ => new double[cells.Length]).ToArray();
        var byCell = new double[area.Grid.Spec.CellCount];
        for (var t = 0; t < cells.Length; t++)
        {
            for (var i = 0; i < ids.Length; i++) byCell[ids[i]] = cells.Search(i)[t];
            for (var z = 0; z < result.Length; z++) result[z][t] = area.Zones.ZonePeople(z, byCell);
        }

        return result;
    }
}
