using CrowdWatch.Geo.Storage;

namespace CrowdWatch.Dashboard.Live;

/// <summary>
/// Wakes the frame publisher: counts stored (by this process, or by any node where the store hears other writers), a
/// forecast run saved, or word from another node that it stored something (<see cref="StoredRelay"/>). Wakes that come
/// while the publisher is busy fold into one, so a burst of writes costs one look.
/// </summary>
public sealed class FrameSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ICountChanges _changes;

    /// <summary>A signal woken by <paramref name="changes"/>.</summary>
    public FrameSignal(ICountChanges changes)
    {
        _changes = changes ?? throw new ArgumentNullException(nameof(changes));
        _changes.Stored += OnChanged;
    }

    /// <summary>Raised by <see cref="Wake"/> (a forecast run saved here), for other nodes to hear; handlers return at once.</summary>
    public event Action? WokenHere;

    /// <summary>Something was saved here that the store tells no one of: the publisher looks now (and other nodes are told).</summary>
    public void Wake()
    {
        WokenHere?.Invoke();
        WakeFromElsewhere();
    }

    /// <summary>Counts were stored (here, or heard of from elsewhere): the publisher looks now.</summary>
    public void WakeFromElsewhere()
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
        _wake.Dispose();
    }

    private void OnChanged(string area) => WakeFromElsewhere();
}
