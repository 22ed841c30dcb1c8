namespace CrowdWatch.Dashboard.Hosting;

/// <summary>One process: it owns every area for good, and what it judged it knows itself.</summary>
internal sealed class SoleOwnership : IAreaOwnership
{
    /// <inheritdoc />
    public bool Shared => false;

    /// <inheritdoc />
    public long TermOf(string area) => 1;

    /// <inheritdoc />
    /// <remarks>Never raised: one process owns every area from the start.</remarks>
    public event Action<string>? Taken
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public Task<long?> JudgedThroughAsync(string area, CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);

    /// <inheritdoc />
    public Task<bool> MarkJudgedAsync(string area, long slotMs, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
