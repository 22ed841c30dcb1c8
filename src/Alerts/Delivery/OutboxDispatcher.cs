using CrowdWatch.Alerts.Storage;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>
/// Sends what the outbox holds: every message due, on its channel, marked delivered only once the receiver has
/// acknowledged it, otherwise tried again after an exponential backoff. After a crash, whatever was not marked is
/// still in the outbox and goes out again (at least once); receivers de-duplicate by the idempotency key.
/// </summary>
public sealed class OutboxDispatcher
{
    private readonly IAlertStore _store;
    private readonly Dictionary<string, INotificationChannel> _channels;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _nudge = new(0, 1);

    /// <summary>A dispatcher over <paramref name="store"/>'s outbox with <paramref name="channels"/>.</summary>
    public OutboxDispatcher(IAlertStore store, IEnumerable<INotificationChannel> channels, TimeProvider? time = null, Backoff? backoff = null, int batch = 100, TimeSpan? lease = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(channels);
        _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _time = time ?? TimeProvider.System;
        Backoff = backoff ?? new Backoff();
        Batch = batch > 0 ? batch : throw new ArgumentOutOfRangeException(nameof(batch), batch, "at least one message per batch");
        Lease = lease ?? TimeSpan.FromSeconds(30);
        if (Lease <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lease), lease, "a claim must last a while");
    }

    /// <summary>
    /// How long a batch claimed from the outbox is this dispatcher's: longer than a batch takes to send (each send times
    /// out in seconds), short enough that a dead dispatcher's messages go out again soon after, from another.
    /// </summary>
    public TimeSpan Lease { get; }

    /// <summary>Waits between attempts.</summary>
    public Backoff Backoff { get; }

    /// <summary>Messages taken per round.</summary>
    public int Batch { get; }

    /// <summary>Says new messages were recorded, so that the next round starts now rather than at the next poll.</summary>
    public void Nudge()
    {
        if (_nudge.CurrentCount == 0)
        {
            try
            {
                _nudge.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another nudge got there first: one is enough.
            }
        }
    }

    /// <summary>One round: sends every message due now; returns how many were delivered and how many failed.</summary>
    public async Task<(int Delivered, int Failed)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var (delivered, failed) = (0, 0);
        while (true)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var due = await _store.ClaimAsync(now, Batch, (long)Lease.TotalMilliseconds, cancellationToken).ConfigureAwait(false);
            if (due.Count == 0) return (delivered, failed);
            // Messages to different receivers go out together; one receiver's messages stay in order.
            var results = await Task.WhenAll(due.GroupBy(m => (m.Channel, m.Recipient)).Select(g => SendInOrderAsync([.. g], cancellationToken))).ConfigureAwait(false);
            var roundDelivered = results.Sum(r => r.Delivered);
            delivered += roundDelivered;
            failed += results.Sum(r => r.Failed);
            if (roundDelivered == 0 || due.Count < Batch) return (delivered, failed);
        }
    }

    /// <summary>Runs rounds until cancelled: at once when nudged, otherwise every <paramref name="pollMs"/>.</summary>
    public async Task RunAsync(int pollMs, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                await _nudge.WaitAsync(TimeSpan.FromMilliseconds(pollMs), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<(int Delivered, int Failed)> SendInOrderAsync(List<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var (delivered, failed) = (0, 0);
        foreach (var m in messages)
        {
            DeliveryOutcome outcome;
            if (!_channels.TryGetValue(m.Channel, out var channel)) outcome = DeliveryOutcome.Failed($"no channel '{m.Channel}' is configured");
            else
            {
                try
                {
                    outcome = await channel.SendAsync(m, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    outcome = DeliveryOutcome.Failed($"{e.GetType().Name}: {e.Message}");
                }
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (outcome.Delivered)
            {
                await _store.DeliveredAsync(m.Id, now, cancellationToken).ConfigureAwait(false);
                delivered++;
                continue;
            }

            var next = outcome.RetryAtMs ?? now + Backoff.Delay(m.Attempts + 1);
            await _store.FailedAsync(m.Id, outcome.Error ?? "failed", next, cancellationToken).ConfigureAwait(false);
            failed++;
            // The rest of this receiver's messages wait too, so that they arrive in order.
            foreach (var rest in messages.SkipWhile(x => x.Id != m.Id).Skip(1))
                await _store.FailedAsync(rest.Id, $"waiting behind message {m.Id}", next, cancellationToken).ConfigureAwait(false);
            break;
        }

        return (delivered, failed);
    }
}
