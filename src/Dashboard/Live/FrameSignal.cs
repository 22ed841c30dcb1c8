using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// Wakes the frame publisher: counts stored (by this process, or by any node where the store hears other writers), a
/// forecast run saved, or an area taken over from another node (what was written before it was ours is news to us).
/// Wakes that come while the publisher is busy fold into one, so a burst of writes costs one look.
/// </summary>
public sealed class FrameSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ICountChanges _changes;
    private readonly Hosting.IAreaOwnership _ownership;

    /// <summary>A signal woken by <paramref name="changes"/> and by <paramref name="ownership"/> taking an area.</summary>
    public FrameSignal(ICountChanges changes, Hosting.IAreaOwnership ownership)
    {
        _changes = changes ?? throw new ArgumentNullException(nameof(changes));
        _ownership = ownership ?? throw new ArgumentNullException(nameof(ownership));
        _changes.Stored += OnChanged;
        _ownership.Taken += OnChanged;
    }

    /// <summary>Something changed: the publisher looks now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already and not yet looked: one look serves both.
        }
    }

    /// <summary>Waits for a wake, at most <paramref name="timeout"/>; true if woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _changes.Stored -= OnChanged;
        _ownership.Taken -= OnChanged;
        _wake.Dispose();
    }

    private void OnChanged(string area) => Wake();
}
