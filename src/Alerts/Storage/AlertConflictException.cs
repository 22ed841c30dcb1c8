namespace CrowdWatch.Alerts.Storage;

/// <summary>
/// An alert event the store refused because it contradicts what the store already holds: the alert has that event
/// already (another writer recorded it first), or the event raises a place that already has an open alert. The writer's
/// view is stale: it reads the open alerts back and judges again. Nothing of the refused event was kept.
/// </summary>
public sealed class AlertConflictException : InvalidOperationException
{
    /// <summary>A conflict described by <paramref name="message"/>.</summary>
    public AlertConflictException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>A conflict with no description.</summary>
    public AlertConflictException()
    {
    }

    /// <summary>A conflict described by <paramref name="message"/>.</summary>
    public AlertConflictException(string message)
        : base(message)
    {
    }
}
