using CrowdWatch.Alerts.Risk;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Alerts.Places;

/// <summary>Everything known about one place in one slot that risk evaluation needs.</summary>
/// <param name="Place">The place.</param>
/// <param name="SlotMs">Start of the slot, Unix ms.</param>
/// <param name="SlotMinutes">Slot length.</param>
/// <param name="People">Estimated people in the slot.</param>
/// <param name="PeopleBefore">Estimated people in the slots before, most recent last (may be empty).</param>
/// <param name="WalkableM2">Walkable area, m².</param>
/// <param name="Capacity">Safe capacity in people, if known.</param>
/// <param name="Thresholds">Where the levels begin for this place.</param>
/// <param name="Search">Map searches for the place in the slot (NaN when not measured).</param>
/// <param name="SearchSameSlot">Searches at the same slot of day on the days before (may be empty).</param>
/// <param name="Outlook">The forecast from the end of this slot, if any.</param>
/// <param name="SearchOutlook">The forecast the map searches lead to (see <c>SearchLead</c>), if any.</param>
/// <param name="TimeZone">The place's time zone, for the times in reasons (UTC when not given).</param>
/// <param name="Floor">The area's k floor for what leaves the host (people and distinct devices); none when not given.</param>
public sealed record PlaceSlot(Place Place, long SlotMs, int SlotMinutes, double People, double[] PeopleBefore, double WalkableM2, double? Capacity,
    LevelThresholds Thresholds, double Search, double[] SearchSameSlot, Outlook? Outlook, Outlook? SearchOutlook = null, TimeZoneInfo? TimeZone = null,
    KThreshold? Floor = null)
{
    /// <summary>
    /// Whether the slot counts fewer people (or distinct devices) than the area's k: its density, capacity use and trend
    /// then never leave the host (CAP, SMS, webhooks, viewers), since they would tell the size of that small group.
    /// </summary>
    public bool UnderK => Floor is { } k && k.Suppresses(People);

    /// <summary>People per walkable m² as the data say (0 where the walkable area is unknown), uncapped.</summary>
    public double RawDensity => WalkableM2 > 0 ? Math.Max(0, People) / WalkableM2 : 0;

    /// <summary>People per walkable m², capped at what a crowd can physically reach (<see cref="Risk.CrowdDensity"/>).</summary>
    public double Density => Risk.CrowdDensity.Capped(RawDensity);

    /// <summary>Whether the data say more people than the place can physically hold: a data problem, not a crowd.</summary>
    public bool DensityFlagged => Risk.CrowdDensity.Exceeds(RawDensity);

    /// <summary>Share of capacity in use, if the place has a capacity.</summary>
    public double? CapacityUse => Capacity is > 0 ? Math.Max(0, People) / Capacity.Value : null;
}
