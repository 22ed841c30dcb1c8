namespace CrowdWatch.Storage.Access;

/// <summary>One thing someone saw or did: who, what, to what, when.</summary>
/// <param name="AtMs">When, Unix ms (UTC).</param>
/// <param name="Actor">Who: a user, an API key's name, or <c>system</c>.</param>
/// <param name="Action">What, for example <c>alert.acknowledge</c> or <c>heatmap.view</c>.</param>
/// <param name="Target">What it was done to, for example an alert id or an area.</param>
/// <param name="Detail">Anything more, free text (never raw device ids: none reach the host).</param>
public sealed record AuditEntry(long AtMs, string Actor, string Action, string Target, string? Detail = null);
