namespace CrowdWatch.Storage.Access;

/// <summary>A named key for machines and operators calling the API; the store keeps only its hash.</summary>
/// <param name="Name">A unique name, for example <c>police-webhook</c>.</param>
/// <param name="Role">What it may do, for example <c>viewer</c> or <c>operator</c>.</param>
/// <param name="CreatedMs">When it was made, Unix ms.</param>
public sealed record ApiKey(string Name, string Role, long CreatedMs);
