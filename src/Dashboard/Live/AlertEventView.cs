namespace CrowdWatch.Dashboard.Live;

/// <summary>An alert event as the dashboard receives it.</summary>
/// <param name="Feed">Its place in the live feed, rising by one per event: what a reconnecting client asks after.</param>
/// <param name="Kind">raised, updated, acknowledged, escalated, resolved, datagap or dataresumed (expired in events of earlier versions).</param>
/// <param name="AlertId">The alert.</param>
/// <param name="Version">The alert's version after the event.</param>
/// <param name="Area">The area.</param>
/// <param name="Place">The place id.</param>
/// <param name="NameZh">The place's Chinese name.</param>
/// <param name="NameEn">The place's English name.</param>
/// <param name="Level">The level after the event.</param>
/// <param name="State">active, acknowledged, resolved or expired.</param>
/// <param name="Trigger">What fired.</param>
/// <param name="Density">Density, persons/m².</param>
/// <param name="CapacityUse">Share of capacity in use, if known.</param>
/// <param name="TrendPerHour">Change of density per hour.</param>
/// <param name="PeakDensity">Expected peak density in a slot ahead; null without a forecast.</param>
/// <param name="PeakAt">When; null without a forecast.</param>
/// <param name="At">When the event happened.</param>
/// <param name="Actor">Who.</param>
/// <param name="Note">The note or reason.</param>
/// <param name="DataGapSince">Since when the place's data are late, if they are.</param>
/// <param name="DensityStatus">
/// <c>LOW_DENSITY</c> where the place's latest slot counted fewer than the area's k people or devices: density,
/// capacity use and trend are then null (the hub serves viewers); <c>DENSITY_ESTIMATION</c> otherwise.
/// </param>
public sealed record AlertEventView(long Feed, string Kind, Guid AlertId, int Version, string Area, string Place, string NameZh, string NameEn, string Level,
    string State, string Trigger, double? Density, double? CapacityUse, double? TrendPerHour, double? PeakDensity, DateTimeOffset? PeakAt, DateTimeOffset At, string Actor, string? Note,
    DateTimeOffset? DataGapSince = null, string DensityStatus = Geo.Privacy.KThreshold.DensityEstimation);
