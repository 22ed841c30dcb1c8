namespace CrowdWatch.Storage;

/// <summary>The database a <see cref="Store"/> runs on: its connections and its schema, whichever the backend.</summary>
public interface IStoreDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The schema version the database is at.</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);
}
