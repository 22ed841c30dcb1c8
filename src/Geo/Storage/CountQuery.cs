namespace CrowdWatch.Geo.Storage;

/// <summary>Counts of one channel in an area over a time window, optionally for some cells only.</summary>
/// <param name="Area">The area.</param>
/// <param name="Channel">The channel.</param>
/// <param name="FromMs">First slot start included, Unix ms.</param>
/// <param name="ToMs">Slot starts before this are included, Unix ms.</param>
/// <param name="Cells">Only these cells; null: every cell.</param>
public sealed record CountQuery(string Area, string Channel, long FromMs, long ToMs, IReadOnlyCollection<int>? Cells = null);
