namespace CrowdWatch.Storage;

/// <summary>One step of a backend's schema: applied once, in order of <paramref name="Version"/>, in a transaction.</summary>
/// <param name="Version">1, 2, ...: the schema version this step brings the store to.</param>
/// <param name="Description">What the step adds, kept in the store's <c>schema_version</c> table.</param>
/// <param name="Sql">The statements.</param>
internal sealed record Migration(int Version, string Description, string Sql);
