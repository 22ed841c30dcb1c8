namespace CrowdWatch.Geo.Storage;

/// <summary>A zone's totals of one channel over a time window.</summary>
/// <param name="Area">The area.</param>
/// <param name="Zone">The zone's name.</param>
/// <param name="Channel">The channel.</param>
/// <param name="FromMs">First slot start included, Unix ms.</param>
/// <param name="ToMs">Slot starts before this are included, Unix ms.</param>
public sealed record ZoneQuery(string Area, string Zone, string Channel, long FromMs, long ToMs);
